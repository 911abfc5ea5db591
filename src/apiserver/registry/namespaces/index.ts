/**
 * Namespace strategy (upstream pkg/registry/core/namespace): the metadata.name label,
 * status.phase Active, the "kubernetes" finalizer on create, finalizer-name validation and
 * the Name·Status·Age printer. The deletion lifecycle (Terminating, /finalize) is not here:
 * the registry's namespace handling owns it. Pure.
 */
import { FinalizerKubernetes, LabelMetadataName, type Namespace, type NamespaceStatus } from '../../../api/core.js'
import { FinalizerForeground, FinalizerOrphan } from '../../../api/meta.js'
import { type FieldError, invalidValue, Path } from '../../../machinery/field-error.js'
import { isQualifiedName, validateNamespaceName } from '../../../machinery/validation/names.js'
import type { ResourceStrategy } from '../resource.js'
import { ageCell, ageColumn, column, nameColumn } from './columns.js'

const standardFinalizers = new Set([FinalizerKubernetes, FinalizerOrphan, FinalizerForeground])

/** validateFinalizerName (core): a qualified name, and a bare name must be a standard one. */
export function validateFinalizerName(value: string, path: Path): FieldError[] {
  const errs = isQualifiedName(value).map(msg => invalidValue(path, value, msg))
  if (!value.includes('/') && !standardFinalizers.has(value))
    errs.push(invalidValue(path, value, 'name is neither a standard finalizer name nor is it fully qualified'))
  return errs
}

function validateNamespace(ns: Namespace): FieldError[] {
  // NOTE: upstream reports every spec.finalizers entry at "spec.finalizers" without an index.
  const path = Path.root('spec').child('finalizers')
  return (ns.spec?.finalizers ?? []).flatMap(f => validateFinalizerName(f, path))
}

/** Status phase rule of ValidateNamespaceStatusUpdate (note upstream's capital "Phase"). */
function validateStatus(ns: Namespace): FieldError[] {
  const phase = ns.status?.phase ?? ''
  const path = Path.root('status').child('Phase')
  if (!ns.metadata.deletionTimestamp) {
    if (phase !== 'Active') return [invalidValue(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")]
  } else if (phase !== 'Terminating') {
    return [invalidValue(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")]
  }
  return []
}

/** The Namespace strategy. */
export const strategy: ResourceStrategy<Namespace> = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  // Upstream namespaces have no deletecollection.
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  statusSubresource: true,
  validateName: name => validateNamespaceName(name, false),

  defaults(ns) {
    if (ns.metadata.name) ns.metadata.labels = { ...ns.metadata.labels, [LabelMetadataName]: ns.metadata.name }
    ns.status ??= {}
    ns.status.phase ||= 'Active'
  },

  prepareForCreate(ns) {
    ns.status = { phase: 'Active' } satisfies NamespaceStatus
    const finalizers = ns.spec?.finalizers ?? []
    if (!finalizers.includes(FinalizerKubernetes))
      ns.spec = { ...ns.spec, finalizers: [...finalizers, FinalizerKubernetes] }
  },

  prepareForUpdate(ns, old) {
    // spec.finalizers change only through /finalize; status only through /status.
    ns.spec = { ...ns.spec }
    if (old.spec?.finalizers) ns.spec.finalizers = structuredClone(old.spec.finalizers)
    else delete ns.spec.finalizers
    ns.status = structuredClone(old.status)
  },

  validate: validateNamespace,
  validateUpdate: validateNamespace,
  validateStatusUpdate: validateStatus,

  fieldLabels: ns => ({
    'status.phase': ns.status?.phase ?? '',
    // NOTE: a bare "name" label is an upstream bug kept for compatibility.
    name: ns.metadata.name ?? '',
  }),

  printer: {
    columns: [nameColumn(), column('Status', 'The status of the namespace'), ageColumn()],
    cells: (ns, now) => [ns.metadata.name ?? '', ns.status?.phase ?? '', ageCell(ns, now)],
  },
}
