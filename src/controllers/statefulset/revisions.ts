/**
 * ControllerRevisions of a StatefulSet (upstream stateful_set_utils.go getPatch/newRevision/
 * ApplyRevision and pkg/controller/history): the template patch a revision stores, its hash and
 * name, which revision is current and which is the update target, and which old revisions the
 * history limit removes (statefulset.md §4). Pure: no I/O; writes are decided here, done elsewhere.
 */
import type { ControllerRevision, StatefulSet } from '../../api/apps.js'
import type { Pod, PodTemplateSpec } from '../../api/pod.js'
import { getPodRevision, setControllerRef } from './pods.js'

/** Label on a revision holding its hash. */
export const RevisionHashLabel = 'controller.kubernetes.io/hash'

/**
 * JSON as Go's encoding/json writes a map[string]interface{}: keys sorted at every level, no
 * spaces, and `<`, `>`, `&`, U+2028, U+2029 escaped. Revision data is compared and hashed in
 * this form, so it is byte-identical to upstream's for the same template.
 */
export function canonicalJSON(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goString(value)
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(v => (v === undefined ? 'null' : canonicalJSON(v))).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter(k => obj[k] !== undefined)
    .sort()
  return `{${keys.map(k => `${goString(k)}:${canonicalJSON(obj[k])}`).join(',')}}`
}

const goEscapes: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, c => goEscapes[c]!)
}

/**
 * The revision data for the set's template (getPatch): `{"spec":{"template":{"$patch":"replace",…}}}`
 * in canonical JSON. Applied as a strategic merge patch it restores exactly this template.
 */
export function getPatch(set: StatefulSet): string {
  return canonicalJSON({ spec: { template: { ...set.spec.template, $patch: 'replace' } } })
}

/** The canonical form of a stored revision's data, for equality (EqualRevision compares bytes). */
export function revisionData(rev: ControllerRevision): string {
  return typeof rev.data === 'string' ? rev.data : canonicalJSON(rev.data)
}

const alphanums = 'bcdfghjklmnpqrstvwxz2456789'

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels (no bad words). */
export function safeEncodeString(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length]
  return out
}

/** FNV-1 (not 1a), 32 bits, over bytes. */
export function fnv1_32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0
  return h
}

/** HashControllerRevision: FNV-1 over the data bytes, then the decimal collision count; safe-encoded. */
export function hashRevisionData(data: string, collisionCount: number | undefined): string {
  let h = fnv1_32(Buffer.from(data, 'utf8'))
  if (collisionCount !== undefined) h = fnv1_32(Buffer.from(String(collisionCount), 'utf8'), h)
  return safeEncodeString(String(h))
}

/** `<prefix>-<hash>`, the prefix cut to 223 characters so the name stays within 253. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`
}

/**
 * A new revision of the set's current template (newRevision): template labels plus the hash
 * label, all of the set's annotations (so change-cause shows in rollout history), a controller
 * reference to the set, and the given revision number.
 */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const data = getPatch(set)
  const hash = hashRevisionData(data, collisionCount)
  const rev: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata.name ?? '', hash),
      namespace: set.metadata.namespace,
      labels: { ...set.spec.template.metadata?.labels, [RevisionHashLabel]: hash },
      ownerReferences: [setControllerRef(set)],
    },
    data: JSON.parse(data),
    revision,
  }
  if (set.metadata.annotations) rev.metadata.annotations = { ...set.metadata.annotations }
  return rev
}

/**
 * The revision renamed for another collision count (CreateControllerRevision's retry). NOTE: as
 * upstream, the hash label keeps the first hash; only the name moves.
 */
export function renameRevision(rev: ControllerRevision, setName: string, collisionCount: number): ControllerRevision {
  const hash = hashRevisionData(revisionData(rev), collisionCount)
  return { ...rev, metadata: { ...rev.metadata, name: controllerRevisionName(setName, hash) } }
}

/** The set with its template restored from the revision (ApplyRevision; the patch replaces the template). */
export function applyRevision(set: StatefulSet, rev: ControllerRevision): StatefulSet {
  const template = (rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec
    ?.template
  if (!template) return set
  const { $patch: _, ...restored } = template
  return { ...set, spec: { ...set.spec, template: restored as PodTemplateSpec } }
}

/** Revisions sorted by number, ties by creation time then name (history.SortControllerRevisions). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision
    const ta = a.metadata.creationTimestamp ?? ''
    const tb = b.metadata.creationTimestamp ?? ''
    if (ta !== tb) return ta < tb ? -1 : 1
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1
  })
}

/** One more than the highest revision number, or 1 (sorted input). */
export function nextRevision(sorted: readonly ControllerRevision[]): number {
  return sorted.length ? sorted[sorted.length - 1]!.revision + 1 : 1
}

/** What the update revision is, and the write (if any) that makes it so. */
export type UpdateRevisionDecision =
  /** The latest revision already holds this template. */
  | { kind: 'latest'; revision: ControllerRevision }
  /** An older revision holds it (a rollback): bump its number to max+1 and reuse it. */
  | { kind: 'renumber'; revision: ControllerRevision; to: number }
  /** No revision holds it: create this one (renaming on name collisions). */
  | { kind: 'create'; revision: ControllerRevision }

/** getStatefulSetRevisions' choice of the update revision, from the sorted revisions of the set. */
export function decideUpdateRevision(
  set: StatefulSet,
  sorted: readonly ControllerRevision[],
  collisionCount: number,
): UpdateRevisionDecision {
  const next = nextRevision(sorted)
  const candidate = newRevision(set, next, collisionCount)
  const data = revisionData(candidate)
  const equal = sorted.filter(r => revisionData(r) === data)
  const last = equal[equal.length - 1]
  if (!last) return { kind: 'create', revision: candidate }
  if (last === sorted[sorted.length - 1]) return { kind: 'latest', revision: last }
  return { kind: 'renumber', revision: last, to: next }
}

/** The revision named by status.currentRevision, or the update revision when there is none. */
export function findCurrentRevision(
  set: StatefulSet,
  sorted: readonly ControllerRevision[],
  update: ControllerRevision,
): ControllerRevision {
  const name = set.status?.currentRevision
  return sorted.find(r => r.metadata.name === name) ?? update
}

/**
 * The oldest non-live revisions beyond revisionHistoryLimit (truncateHistory). Live: current,
 * update, and every revision a pod is labelled with. A negative limit keeps everything.
 */
export function revisionsToTruncate(
  set: StatefulSet,
  pods: readonly Pod[],
  sorted: readonly ControllerRevision[],
  live: readonly (ControllerRevision | undefined)[],
): ControllerRevision[] {
  const names = new Set<string>(pods.map(getPodRevision))
  for (const r of live) if (r?.metadata.name) names.add(r.metadata.name)
  const history = sorted.filter(r => !names.has(r.metadata.name ?? ''))
  const limit = set.spec.revisionHistoryLimit ?? 10
  if (limit < 0 || history.length <= limit) return []
  return history.slice(0, history.length - limit)
}
