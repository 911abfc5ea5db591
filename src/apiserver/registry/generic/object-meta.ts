/**
 * System-owned ObjectMeta fields: what the server sets on create, preserves on update,
 * and how it decides that a write changed the "spec" (for metadata.generation). Pure.
 */

import { randomBytes, randomUUID } from 'node:crypto'
import type { KObject } from '../../../api/meta.js'

/** RFC 3339 with second precision, as metav1.Time serializes. */
export const formatTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

/** RFC 3339 with microseconds, as metav1.MicroTime serializes (events' eventTime, leases). */
export const formatMicroTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789'

/** generateName suffix: five characters from upstream's alphabet (no vowels, no confusables). */
export function generateNameSuffix(): string {
  const bytes = randomBytes(5)
  let s = ''
  for (const b of bytes) s += nameAlphabet[b % nameAlphabet.length]
  return s
}

/** Sets the fields a create owns: uid, creationTimestamp, generation; clears deletion fields. */
export function fillCreateFields(obj: KObject, now: number, withGeneration: boolean): void {
  const m = obj.metadata
  m.uid = randomUUID()
  m.creationTimestamp = formatTime(now)
  delete m.deletionTimestamp
  delete m.deletionGracePeriodSeconds
  delete m.resourceVersion
  if (withGeneration) m.generation = 1
  else delete m.generation
}

/** Restores what an update may never change (uid when omitted, creation and deletion stamps, generation). */
export function preserveUpdateFields(obj: KObject, old: KObject): void {
  const m = obj.metadata
  const o = old.metadata
  if (!m.uid) m.uid = o.uid
  if (o.creationTimestamp) m.creationTimestamp = o.creationTimestamp
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp
  else delete m.deletionTimestamp
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds
  else delete m.deletionGracePeriodSeconds
  if (o.generation !== undefined) m.generation = o.generation
  else delete m.generation
}

/** Everything but metadata and status: what "spec changed" means for generation. */
export function specPart(obj: KObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj
  return rest
}

/** The object without the fields that change on every write, for no-op detection. */
export function comparable(obj: KObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = obj.metadata
  return { ...obj, metadata: meta }
}
