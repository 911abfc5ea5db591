/**
 * The resource descriptors the OpenAPI builders work from, and the naming rules upstream uses
 * for group-version paths and operation ids. Pure.
 */
import { typeNameFor } from '../../machinery/schema/index.js'

/** One served resource, as the apiserver wires it from its registry. */
export interface ServedResource {
  group: string
  version: string
  kind: string
  /** Plural, lower case: "statefulsets". */
  resource: string
  namespaced: boolean
  /** Subresource names: "status", "scale", "binding", "eviction", "log"; others are skipped. */
  subresources: string[]
  /** Verbs in discovery; the full set when absent. */
  verbs?: string[]
}

/** "apps/v1", or "v1" for the core group. */
export function groupVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

/** The OpenAPI v3 path of a group-version: "apis/apps/v1", or "api/v1" for the core group. */
export function openApiPathOf(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`
}

/** The URL prefix of a group-version's resources: "/apis/apps/v1", or "/api/v1". */
export function urlPrefixOf(group: string, version: string): string {
  return `/${openApiPathOf(group, version)}`
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * The group-version part of upstream operation ids: "" → "CoreV1", "apps" → "AppsV1",
 * "storage.k8s.io" → "StorageV1", "rbac.authorization.k8s.io" → "RbacAuthorizationV1".
 */
export function operationGroupOf(group: string, version: string): string {
  const name = group
    ? group
        .replace(/\.k8s\.io$/, '')
        .split('.')
        .map(capitalize)
        .join('')
    : 'Core'
  return `${name}${capitalize(version)}`
}

/** The tag upstream files operations under: "core_v1", "apps_v1", "storage_v1". */
export function tagOf(group: string, version: string): string {
  const name = group ? group.replace(/\.k8s\.io$/, '').replace(/\./g, '_') : 'core'
  return `${name}_${version}`
}

/** Component name of a type: "io.k8s.api.apps.v1.StatefulSet" → "#/components/schemas/io.k8s.api.apps.v1.StatefulSet". */
export function refTo(typeName: string): { $ref: string } {
  return { $ref: `#/components/schemas/${typeName}` }
}

/** The upstream type name of a kind, e.g. ("apps", "v1", "StatefulSet") → "io.k8s.api.apps.v1.StatefulSet". */
export function typeNameOfKind(group: string, version: string, kind: string): string | undefined {
  return typeNameFor(groupVersionOf(group, version), kind)
}
