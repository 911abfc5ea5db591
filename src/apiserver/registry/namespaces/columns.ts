/**
 * Column definitions and cell helpers shared by the core kinds' server-side printers
 * (upstream pkg/printers/internalversion): the Name and Age columns, label and list
 * formatting. Pure: `now` is always passed in.
 * NOTE: shared by sibling registry folders (services, nodes, ...); it lives here only because
 * each engineer owns folders, not registry/ itself. It may move to registry/printing.ts.
 */
import type { KObject } from '../../../api/meta.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import type { TableColumn } from '../resource.js'

const nameDoc =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'
const creationTimestampDoc =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

/** A string column; `priority: 1` marks `-o wide` columns. */
export function column(name: string, description: string, priority = 0): TableColumn {
  return { name, type: 'string', format: '', description, priority }
}

/** The Name column every printer starts with (format "name"). */
export const nameColumn = (priority = 0): TableColumn => ({ ...column('Name', nameDoc, priority), format: 'name' })

/** The Age column (creationTimestamp rendered as a human duration). */
export const ageColumn = (): TableColumn => column('Age', creationTimestampDoc)

/** Age cell: creationTimestamp relative to the server clock. */
export const ageCell = (obj: KObject, now: number): string =>
  translateTimestampSince(obj.metadata.creationTimestamp, now)

/** labels.FormatLabels: sorted `k=v` joined by ",", or `<none>`. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort()
  return keys.length ? keys.map(k => `${k}=${m![k]}`).join(',') : '<none>'
}

/** The first `max` items joined by ",", then ` + N more...` (upstream's listWithMoreString). */
export function listWithMore(items: string[], max: number, empty: string): string {
  const shown = items.slice(0, max).join(',')
  if (items.length > max) return `${shown} + ${items.length - max} more...`
  return shown === '' ? empty : shown
}
