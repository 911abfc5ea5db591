/** Timestamp formats of the API: metav1.Time (RFC 3339, seconds) and metav1.MicroTime. Pure. */

/** metav1.Time: "2024-05-01T12:00:00Z" (sub-seconds truncated, as Go's serializer does). */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/** metav1.MicroTime: "2024-05-01T12:00:00.123000Z". */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}
