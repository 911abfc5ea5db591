/**
 * The OpenAPI v3 documents kubectl reads: `/openapi/v3` (one hashed URL per group-version) and
 * one OpenAPI 3.0 document per group-version with its paths and component schemas. Documents are
 * built once per resource list and cached with their content hash. No I/O beyond hashing.
 */
import { createHash } from 'node:crypto'
import { schemaFor, servedKinds } from '../../machinery/schema/index.js'
import type { SchemaNode } from '../../machinery/schema/types.js'
import { buildComponents, type Gvk, type JsonSchema } from './components.js'
import { buildPaths } from './paths.js'
import { groupVersionOf, openApiPathOf, type ServedResource, typeNameOfKind } from './resources.js'

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'
/** Group-versions of kinds that are never served on their own (Table is a response format). */
const notServed = new Set(['meta.k8s.io/v1'])

/** A built document: the JSON object, its serialised text and its content hash. */
export interface BuiltDoc {
  doc: JsonSchema
  text: string
  hash: string
}

/** The hash in `serverRelativeURL`: upper-case hex of the SHA-512 of the document text. */
export function openApiV3Hash(text: string): string {
  return createHash('sha512').update(text).digest('hex').toUpperCase()
}

/**
 * Every group-version that gets a document: those of the resources plus those of the served
 * kinds (autoscaling/v1 for Scale, policy/v1 for Eviction), core first, then by name.
 */
export function servedGroupVersions(resources: readonly ServedResource[]): { group: string; version: string }[] {
  const all = new Map<string, { group: string; version: string }>()
  for (const { group, version } of [...resources, ...servedKinds]) {
    const gv = groupVersionOf(group, version)
    if (!notServed.has(gv)) all.set(gv, { group, version })
  }
  return [...all.values()].sort((a, b) =>
    a.group === b.group ? (a.version < b.version ? -1 : 1) : !a.group ? -1 : !b.group ? 1 : a.group < b.group ? -1 : 1,
  )
}

/** GVK tags for kind schemas: served kinds, list kinds of resources, and the kinds every group accepts. */
function gvkTags(resources: readonly ServedResource[]): Map<string, Gvk[]> {
  const tags = new Map<string, Gvk[]>()
  const add = (type: string, gvk: Gvk) => {
    const list = tags.get(type) ?? []
    if (!list.some(g => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk)
    tags.set(type, list)
  }
  for (const k of servedKinds)
    if (k.kind !== 'DeleteOptions') add(k.type, { group: k.group, version: k.version, kind: k.kind })
  for (const r of resources) {
    const type = typeNameOfKind(r.group, r.version, r.kind)
    if (type) add(`${type}List`, { group: r.group, version: r.version, kind: `${r.kind}List` })
  }
  for (const gv of servedGroupVersions(resources)) {
    add(`${META}.DeleteOptions`, { ...gv, kind: 'DeleteOptions' })
    add(`${META}.WatchEvent`, { ...gv, kind: 'WatchEvent' })
  }
  return tags
}

/** Schemas a group-version document starts from: its kinds, their lists and subresource kinds. */
function rootsOf(group: string, version: string, resources: readonly ServedResource[]): SchemaNode[] {
  const gv = groupVersionOf(group, version)
  const roots: (SchemaNode | undefined)[] = [schemaFor('v1', 'DeleteOptions'), schemaFor('v1', 'Status')]
  for (const k of servedKinds) if (k.group === group && k.version === version) roots.push(schemaFor(gv, k.kind))
  for (const r of resources) {
    roots.push(schemaFor(gv, r.kind), schemaFor(gv, `${r.kind}List`))
    if (r.subresources.includes('scale')) roots.push(schemaFor('autoscaling/v1', 'Scale'))
    if (r.subresources.includes('binding')) roots.push(schemaFor('v1', 'Binding'))
    if (r.subresources.includes('eviction')) roots.push(schemaFor('policy/v1', 'Eviction'))
  }
  return roots.filter((n): n is SchemaNode => n !== undefined)
}

function buildDoc(groupVersion: string, resources: readonly ServedResource[]): JsonSchema {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion]
  const own = resources.filter(r => r.group === group && r.version === version)
  return {
    openapi: '3.0.0',
    info: { title: 'petset', version: groupVersion },
    paths: buildPaths(own),
    components: { schemas: buildComponents(rootsOf(group!, version!, own), gvkTags(resources)) },
  }
}

const cache = new WeakMap<readonly ServedResource[], Map<string, BuiltDoc>>()

/** The cached document of a group-version ("apps/v1", or "v1" for core), with its text and hash. */
export function openApiV3Built(groupVersion: string, resources: readonly ServedResource[]): BuiltDoc {
  let docs = cache.get(resources)
  if (!docs) cache.set(resources, (docs = new Map()))
  let built = docs.get(groupVersion)
  if (!built) {
    const doc = buildDoc(groupVersion, resources)
    const text = JSON.stringify(doc)
    built = { doc, text, hash: openApiV3Hash(text) }
    docs.set(groupVersion, built)
  }
  return built
}

/** The OpenAPI 3.0 document of one group-version ("apps/v1", or "v1" for core). Cached per resource list. */
export function buildOpenApiV3Doc(groupVersion: string, resources: readonly ServedResource[]): JsonSchema {
  return openApiV3Built(groupVersion, resources).doc
}

/** The `/openapi/v3` root: `{"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=…"}}}`. */
export function buildOpenApiV3Root(resources: readonly ServedResource[]): {
  paths: Record<string, { serverRelativeURL: string }>
} {
  const paths: Record<string, { serverRelativeURL: string }> = {}
  for (const { group, version } of servedGroupVersions(resources)) {
    const path = openApiPathOf(group, version)
    const { hash } = openApiV3Built(groupVersionOf(group, version), resources)
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` }
  }
  return { paths }
}
