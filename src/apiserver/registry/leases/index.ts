/**
 * Lease strategy (coordination.k8s.io/v1, upstream pkg/registry/coordination/lease):
 * ValidateLeaseSpec and the Name·Holder·Age printer. A PUT on a missing lease creates it,
 * which is how node heartbeats and leader election start. Pure.
 */
import type { Lease } from '../../../api/coordination.js'
import { type FieldError, forbiddenField, invalidValue, notSupported, Path } from '../../../machinery/field-error.js'
import { isQualifiedName } from '../../../machinery/validation/names.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'

const validLeaseStrategies = ['OldestEmulationVersion']

/** ValidateCoordinatedLeaseStrategy. NOTE: upstream appends "strategy" twice to the path. */
function validateLeaseStrategy(strategy: string, path: Path): FieldError[] {
  const p = path.child('strategy')
  if (!strategy.includes('/'))
    return validLeaseStrategies.includes(strategy) ? [] : [notSupported(p, strategy, validLeaseStrategies)]
  return isQualifiedName(strategy).map(msg => invalidValue(p, strategy, msg))
}

/** ValidateLeaseSpec. */
export function validateLease(lease: Lease): FieldError[] {
  const errs: FieldError[] = []
  const spec = lease.spec ?? {}
  const path = Path.root('spec')
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0)
    errs.push(invalidValue(path.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'))
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0)
    errs.push(invalidValue(path.child('leaseTransitions'), spec.leaseTransitions, 'must be greater than or equal to 0'))
  if (spec.strategy !== undefined) errs.push(...validateLeaseStrategy(spec.strategy, path.child('strategy')))
  if (spec.preferredHolder && !spec.strategy)
    errs.push(forbiddenField(path.child('preferredHolder'), 'may only be specified if `strategy` is defined'))
  return errs
}

/** The Lease strategy. */
export const strategy: ResourceStrategy<Lease> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  allowCreateOnUpdate: true,
  validate: validateLease,
  validateUpdate: validateLease,
  printer: {
    columns: [
      nameColumn(),
      column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'),
      ageColumn(),
    ],
    cells: (l, now) => [l.metadata.name ?? '', l.spec?.holderIdentity ?? '', ageCell(l, now)],
  },
}
