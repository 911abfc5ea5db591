/**
 * pods/binding subresource validation (ValidatePodBinding): the target must be a Node (or leave
 * kind empty) and must be named. The scheduler posts these. Pure: no I/O.
 */
import type { Binding } from '../../../api/pod.js'
import { type FieldError, notSupported, Path, required } from '../../../machinery/field-error.js'

/** ValidatePodBinding: `target.kind: Unsupported value: ...`, `target.name: Required value`. */
export function validateBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = []
  const target = Path.root('target')
  const kind = binding.target?.kind ?? ''
  if (kind !== '' && kind !== 'Node') errs.push(notSupported(target.child('kind'), kind, ['Node', '<empty>']))
  if (!binding.target?.name) errs.push(required(target.child('name')))
  return errs
}
