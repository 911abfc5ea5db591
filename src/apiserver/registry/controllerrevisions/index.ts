/**
 * The ControllerRevision strategy (pkg/registry/apps/controllerrevision, apps/v1): data required
 * and immutable, revision non-negative, and the Name·Controller·Revision·Age printer.
 * Pure: no I/O.
 */
import type { ControllerRevision } from '../../../api/apps.js'
import { parseApiVersion } from '../../../api/meta.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import { type FieldError, Path, required } from '../../../machinery/field-error.js'
import { deepEqual, getControllerOf } from '../../../machinery/objects.js'
import { invalidShown, validateNonnegative } from '../pod-spec/helpers.js'
import { ageColumn, column, nameColumn } from '../pod-spec/printing.js'
import type { Printer, ResourceStrategy } from '../resource.js'

/** ValidateControllerRevision (ObjectMeta aside). */
export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs: FieldError[] = []
  if (cr.data === undefined || cr.data === null) errs.push(required(Path.root('data'), 'data is mandatory'))
  return errs.concat(validateNonnegative(cr.revision ?? 0, Path.root('revision')))
}

/** Go's %#v of the runtime.RawExtension holding `data` (its JSON bytes, compact). */
function goRawExtension(data: unknown): string {
  if (data === undefined || data === null) return 'runtime.RawExtension{Raw:[]uint8(nil), Object:runtime.Object(nil)}'
  const bytes = [...Buffer.from(JSON.stringify(data), 'utf8')].map(b => `0x${b.toString(16)}`)
  return `runtime.RawExtension{Raw:[]uint8{${bytes.join(', ')}}, Object:runtime.Object(nil)}`
}

/** ValidateControllerRevisionUpdate (ObjectMeta aside): still valid, data unchanged. */
export function validateControllerRevisionUpdate(cr: ControllerRevision, old: ControllerRevision): FieldError[] {
  const errs = validateControllerRevision(cr)
  if (!deepEqual(cr.data ?? null, old.data ?? null))
    errs.push(invalidShown(Path.root('data'), goRawExtension(cr.data), 'field is immutable'))
  return errs
}

/** The Controller cell: `<kind>.<group>/<name>` of the controller owner (kind lower-cased), or `<none>`. */
export function controllerCell(cr: ControllerRevision): string {
  const ref = getControllerOf(cr)
  if (!ref) return '<none>'
  const { group } = parseApiVersion(ref.apiVersion ?? '')
  const kind = group ? `${ref.kind}.${group}` : ref.kind
  return `${kind.toLowerCase()}/${ref.name}`
}

/** printControllerRevision. */
export const controllerRevisionPrinter: Printer<ControllerRevision> = {
  columns: [
    nameColumn(),
    column('Controller', 'Controller of the object'),
    column('Revision', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn(),
  ],
  cells: (cr, now) => [
    cr.metadata.name ?? '',
    controllerCell(cr),
    cr.revision ?? 0,
    translateTimestampSince(cr.metadata.creationTimestamp, now),
  ],
}

/** The ControllerRevision strategy. */
export const strategy: ResourceStrategy<ControllerRevision> = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  defaults(cr) {
    // Go always encodes revision (no omitempty).
    if (cr.revision === undefined || cr.revision === null) cr.revision = 0
  },
  validate: validateControllerRevision,
  validateUpdate: validateControllerRevisionUpdate,
  printer: controllerRevisionPrinter,
}
