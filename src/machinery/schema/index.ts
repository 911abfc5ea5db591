/**
 * The structural schema of every API type petset serves: look-ups by kind or type name, plus strict
 * field validation and light type checks over decoded request bodies. Pure: no I/O.
 *
 * @example
 * const sts = schemaFor('apps/v1', 'StatefulSet')
 * findUnknownFields(body, sts!)   // ['spec.template.spec.containers[0].resources.request']
 */
import { hasType, listNode, servedKinds, typeNode } from './build.js'
import type { SchemaNode } from './types.js'

export type { KindEntry } from './build.js'
export { servedKinds } from './build.js'
export { formatOf } from './format.js'
export {
  duplicateFieldMessage,
  findDuplicateFields,
  findUnknownFields,
  strictDecodingError,
  strictFieldErrors,
  undecodableMessage,
  unknownFieldMessage,
} from './strict.js'
export { findTypeErrors } from './type-check.js'
export type { ScalarType, SchemaNode } from './types.js'

/** Kinds that every group-version accepts in request bodies (as upstream registers them everywhere). */
const everywhere = new Set(['DeleteOptions', 'Status'])

/** Splits "apps/v1" into ["apps", "v1"] and "v1" into ["", "v1"]. */
export function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)]
}

/** The upstream type name of a served kind, e.g. ("apps/v1", "StatefulSet") → "io.k8s.api.apps.v1.StatefulSet". */
export function typeNameFor(apiVersion: string, kind: string): string | undefined {
  const [group, version] = splitApiVersion(apiVersion)
  const entry =
    servedKinds.find(k => k.group === group && k.version === version && k.kind === kind) ??
    (everywhere.has(kind) ? servedKinds.find(k => k.kind === kind && k.group === '') : undefined)
  return entry?.type
}

/**
 * The full schema of a kind, or of its list kind (`StatefulSetList`); undefined for kinds petset
 * does not serve. The result is a graph with shared nodes: treat it as read-only.
 */
export function schemaFor(apiVersion: string, kind: string): SchemaNode | undefined {
  const type = typeNameFor(apiVersion, kind)
  if (type) return typeNode(type)
  if (kind.endsWith('List')) {
    const item = typeNameFor(apiVersion, kind.slice(0, -'List'.length))
    if (item) return listNode(item)
  }
  return undefined
}

/** The schema of a type by its upstream name, e.g. "io.k8s.api.core.v1.Container"; undefined if unknown. */
export function schemaForType(typeName: string): SchemaNode | undefined {
  return hasType(typeName) ? typeNode(typeName) : undefined
}
