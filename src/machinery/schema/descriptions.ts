/**
 * Looks up petset's descriptions of API types and fields, with a plain factual fallback for those
 * not described by hand. Pure: reads only the tables in descriptions-*.ts.
 */
import { appsDocs } from './descriptions-apps.js'
import { clusterDocs } from './descriptions-cluster.js'
import { podDocs } from './descriptions-pods.js'
import { storageDocs } from './descriptions-storage.js'
import type { DocsTable, TypeDocs } from './docs-table.js'

const tables: DocsTable = { ...appsDocs, ...podDocs, ...storageDocs, ...clusterDocs }

/** Fields that mean the same on every type that has them. */
const commonFields: Record<string, string> = {
  apiVersion: 'Version of the API schema the object is written in, such as v1 or apps/v1.',
  kind: 'Kind of the object, in CamelCase, such as Pod or StatefulSet.',
  metadata: 'Standard object metadata: name, namespace, labels, annotations, owners and versions.',
}

/** `io.k8s.api.apps.v1.StatefulSet` → `apps.v1.StatefulSet` (the key of the description tables). */
export function docsKey(typeName: string): string {
  return typeName.replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, '')
}

function docsOf(typeName: string): TypeDocs | undefined {
  return tables[docsKey(typeName)]
}

function shortName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf('.') + 1)
}

/** Description of a type; types not described by hand get a one-line factual fallback. */
export function typeDescription(typeName: string): string {
  const docs = docsOf(typeName)
  if (docs) return docs.about
  const key = docsKey(typeName)
  const api = key.slice(0, key.lastIndexOf('.')).replace('.', '/')
  return `${shortName(typeName)} of the ${api} API.`
}

/** Description of a field of a type; fields not described by hand get a one-line factual fallback. */
export function fieldDescription(typeName: string, field: string): string {
  const own = docsOf(typeName)?.fields?.[field]
  if (own) return own
  if (field === 'metadata' && typeName.endsWith('List')) return 'List metadata: resource version and paging token.'
  return commonFields[field] ?? `${field} of this ${shortName(typeName)}.`
}

/** Allowed values of a string field, where petset lists them. */
export function fieldEnum(typeName: string, field: string): string[] | undefined {
  return docsOf(typeName)?.enums?.[field]
}

/** Every type key that has hand-written descriptions (for tests). */
export function describedTypes(): string[] {
  return Object.keys(tables)
}
