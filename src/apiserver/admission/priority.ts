/**
 * Priority: pods without a priority class get priority 0 and the PreemptLowerPriority policy,
 * as kube-apiserver's Priority plugin resolves them (petset serves no PriorityClass objects).
 */
import type { AdmissionPlugin } from './admission.js'

export const priorityAdmission: AdmissionPlugin = {
  name: 'Priority',
  resources: ['pods'],
  admitCreate(obj) {
    const spec = (obj.spec ??= {}) as { priority?: number; preemptionPolicy?: string; priorityClassName?: string }
    if (spec.priorityClassName === 'system-node-critical') spec.priority ??= 2000001000
    else if (spec.priorityClassName === 'system-cluster-critical') spec.priority ??= 2000000000
    else spec.priority ??= 0
    spec.preemptionPolicy ??= 'PreemptLowerPriority'
  },
}
