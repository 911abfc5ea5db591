/**
 * Table-printer pieces shared by the workload kinds (printers.go): the Name and Age columns with
 * ObjectMeta's own descriptions, the Containers/Images columns and their cells.
 * Pure: no I/O.
 */
import type { Container } from '../../../api/pod.js'
import type { TableColumn } from '../resource.js'

/** ObjectMeta's swagger doc for `name`, the description of every Name column. */
export const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'

/** ObjectMeta's swagger doc for `creationTimestamp`, the description of every Age column. */
export const ageDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

/** A column definition; `format` is "" unless given. */
export function column(
  name: string,
  description: string,
  opts: { type?: TableColumn['type']; format?: string; priority?: number } = {},
): TableColumn {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 }
}

/** The Name column (format "name"). */
export const nameColumn = (): TableColumn => column('Name', nameDescription, { format: 'name' })
/** The Age column. */
export const ageColumn = (): TableColumn => column('Age', ageDescription)
/** The wide Containers and Images columns of every pod-template kind. */
export const containerColumns = (): TableColumn[] => [
  column('Containers', 'Names of each container in the template.', { priority: 1 }),
  column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
]

/** layoutContainerCells: container names and images, comma-joined in order. */
export function layoutContainerCells(containers: Container[] | undefined): [names: string, images: string] {
  const cs = containers ?? []
  return [cs.map(c => c.name).join(','), cs.map(c => c.image ?? '').join(',')]
}
