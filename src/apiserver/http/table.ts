/**
 * Server-side printing: turns objects into meta.k8s.io Tables with the strategy's columns
 * (or the default Name/Created At), and objects into PartialObjectMetadata. Pure.
 */
import type { KObject } from '../../api/meta.js'
import type { Printer, ResourceStrategy, TableColumn } from '../registry/resource.js'

const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. It is used when creating resources and cannot be changed later.',
  priority: 0,
}

const defaultPrinter: Printer = {
  columns: [
    nameColumn,
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: 'When the object was created, in RFC 3339 form (the server clock).',
      priority: 0,
    },
  ],
  cells: obj => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? ''],
}

export type IncludeObject = 'None' | 'Metadata' | 'Object'

/** PartialObjectMetadata for one object (kind/apiVersion of the meta group). */
export function partialMetadata(obj: KObject, version: 'v1' | 'v1beta1' = 'v1'): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata }
}

export interface TableOptions {
  version: 'v1' | 'v1beta1'
  includeObject: IncludeObject
  noHeaders?: boolean
  resourceVersion?: string
  continue?: string
  remainingItemCount?: number
  now: number
}

/** Builds a Table of rows for the objects, in order. */
export function buildTable(strategy: ResourceStrategy, objects: KObject[], opts: TableOptions): KObject {
  const printer = strategy.printer ?? defaultPrinter
  const rows = objects.map(obj => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, opts.now) }
    const conditions = printer.conditions?.(obj)
    if (conditions) row.conditions = conditions
    if (opts.includeObject === 'Metadata') row.object = partialMetadata(obj, opts.version)
    else if (opts.includeObject === 'Object') row.object = obj
    return row
  })
  const metadata: Record<string, unknown> = {}
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion
  if (opts.continue) metadata.continue = opts.continue
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount
  const table: KObject = { kind: 'Table', apiVersion: `meta.k8s.io/${opts.version}`, metadata }
  table.columnDefinitions = opts.noHeaders ? [] : printer.columns
  table.rows = rows
  return table
}
