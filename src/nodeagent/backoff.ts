/**
 * The kubelet's crash-loop back-off (client-go flowcontrol.Backoff as kuberuntime's doBackOff
 * uses it): the first restart is immediate, then a container waits 10 s, 20 s, 40 s ... capped
 * at 5 min, measured from when the last instance finished. An entry last touched more than twice
 * the cap before the latest exit starts over. Pure: state in, state out; time is an argument.
 */

/** Back-off bookkeeping for one container of one pod. */
export interface BackoffEntry {
  /** The current back-off period in ms. */
  backoffMs: number
  /** When the entry was last advanced (ms since the epoch). */
  lastUpdate: number
}

/** Back-off limits: the kubelet's 10 s initial and 300 s maximum. */
export interface BackoffPolicy {
  initialMs: number
  maxMs: number
}

/** kubelet defaults (backOffPeriod, MaxContainerBackOff). */
export const crashLoopPolicy: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000 }

const hasExpired = (eventTime: number, lastUpdate: number, policy: BackoffPolicy) =>
  eventTime - lastUpdate > policy.maxMs * 2

/** Whether a container that finished at eventTime must still wait at now (IsInBackOffSince). */
export function isInBackOffSince(
  entry: BackoffEntry | undefined,
  eventTime: number,
  now: number,
  policy = crashLoopPolicy,
): boolean {
  if (!entry || hasExpired(eventTime, entry.lastUpdate, policy)) return false
  return now - eventTime < entry.backoffMs
}

/** The entry after a restart is allowed (Next): initial on first use or expiry, else doubled up to the cap. */
export function nextBackoff(
  entry: BackoffEntry | undefined,
  eventTime: number,
  now: number,
  policy = crashLoopPolicy,
): BackoffEntry {
  if (!entry || hasExpired(eventTime, entry.lastUpdate, policy)) return { backoffMs: policy.initialMs, lastUpdate: now }
  return { backoffMs: Math.min(entry.backoffMs * 2, policy.maxMs), lastUpdate: now }
}

/** The "back-off 10s" / "back-off 5m0s" text of kubelet messages (Go's Duration.String for whole seconds). */
export function formatBackoff(ms: number): string {
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h) return `${h}h${m}m${s}s`
  if (m) return `${m}m${s}s`
  return `${s}s`
}
