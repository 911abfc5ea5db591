/**
 * The request parameters the documents declare, written inline into each operation. Descriptions
 * are petset's own. Pure data.
 *
 * NOTE: kubectl 1.32's server-side validation check did not follow `$ref`s to
 * `components.parameters` when looking for `fieldValidation` (it fell back to /openapi/v2), so
 * operations carry their parameters inline.
 */
import type { JsonSchema } from './components.js'

const query = (name: string, description: string, type = 'string', extra: JsonSchema = {}): JsonSchema => ({
  description,
  in: 'query',
  name,
  schema: { type, uniqueItems: true, ...extra },
})

/** Parameters by name. */
export const parameters = {
  namespace: {
    description: 'Namespace of the objects.',
    in: 'path',
    name: 'namespace',
    required: true,
    schema: { type: 'string', uniqueItems: true },
  },
  pretty: query('pretty', 'When true, the response JSON is indented.'),
  dryRun: query('dryRun', 'With All, the request is validated and answered but nothing is stored.'),
  fieldManager: query('fieldManager', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: query(
    'fieldValidation',
    'What to do with unknown or duplicate fields in the body: Ignore drops them, Warn drops them and ' +
      'answers with a Warning header per field, Strict (the default) fails the request.',
  ),
  force: query('force', 'Server-side apply only: take ownership of fields other managers own.', 'boolean'),
  gracePeriodSeconds: query(
    'gracePeriodSeconds',
    'Seconds the object gets before it is removed; 0 removes it at once.',
    'integer',
  ),
  orphanDependents: query('orphanDependents', 'Older form of propagationPolicy=Orphan.', 'boolean'),
  propagationPolicy: query(
    'propagationPolicy',
    'What happens to dependents: Orphan leaves them, Background deletes them after the owner, Foreground before it.',
  ),
  ignoreStoreReadErrorWithClusterBreakingPotential: query(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'Delete an object that cannot be read from storage. Dangerous; petset never needs it.',
    'boolean',
  ),
  allowWatchBookmarks: query('allowWatchBookmarks', 'Let a watch send BOOKMARK events.', 'boolean'),
  continue: query('continue', 'Token from a previous page; returns the next page.'),
  fieldSelector: query('fieldSelector', 'Only objects whose fields match, such as metadata.name=web.'),
  labelSelector: query('labelSelector', 'Only objects whose labels match, such as app=nginx.'),
  limit: query('limit', 'Most objects to return; more are reached through metadata.continue.', 'integer'),
  resourceVersion: query('resourceVersion', 'Which version of the data to read, or where a watch starts.'),
  resourceVersionMatch: query('resourceVersionMatch', 'How resourceVersion is compared: Exact or NotOlderThan.'),
  sendInitialEvents: query('sendInitialEvents', 'Start a watch with the current objects as ADDED events.', 'boolean'),
  timeoutSeconds: query('timeoutSeconds', 'Seconds after which a list or watch call ends.', 'integer'),
  watch: query('watch', 'Stream changes instead of returning a list.', 'boolean'),
  container: query('container', 'Container to read the log of; needed when the pod has several.'),
  follow: query('follow', 'Keep streaming the log as it grows.', 'boolean'),
  previous: query('previous', 'Read the log of the previous, ended run of the container.', 'boolean'),
  sinceSeconds: query('sinceSeconds', 'Only lines newer than this many seconds.', 'integer'),
  tailLines: query('tailLines', 'Only the last lines, this many.', 'integer'),
  timestamps: query('timestamps', 'Prefix every line with its RFC 3339 timestamp.', 'boolean'),
  limitBytes: query('limitBytes', 'Stop after this many bytes.', 'integer'),
} satisfies Record<string, JsonSchema>

/** A parameter, inline. */
export function param(name: keyof typeof parameters): JsonSchema {
  return parameters[name]!
}
