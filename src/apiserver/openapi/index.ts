/**
 * The OpenAPI documents petset publishes for kubectl: `/openapi/v3` and one OpenAPI 3.0 document
 * per group-version, built from the structural schemas in machinery/schema. `/openapi/v2` is not
 * built (see README.md): the server answers it with an empty document.
 *
 * @example
 * const root = buildOpenApiV3Root(resources)          // {paths: {"apis/apps/v1": {serverRelativeURL}}}
 * const apps = buildOpenApiV3Doc('apps/v1', resources) // components.schemas + paths
 */
export type { Gvk, JsonSchema } from './components.js'
export { groupVersionOf, openApiPathOf, type ServedResource } from './resources.js'
export {
  type BuiltDoc,
  buildOpenApiV3Doc,
  buildOpenApiV3Root,
  openApiV3Built,
  openApiV3Hash,
  servedGroupVersions,
} from './v3.js'
