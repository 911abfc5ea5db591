/**
 * Message table: policy/v1 (PodDisruptionBudget, Eviction) and scheduling.k8s.io/v1 (PriorityClass), from
 * k8s.io/api/policy/v1 and k8s.io/api/scheduling/v1 generated.proto.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** policy/v1 and scheduling/v1 messages. */
export const policyV1Messages: MessageTable = {
  PodDisruptionBudget: {
    1: 'metadata ObjectMeta',
    2: 'spec PodDisruptionBudgetSpec',
    3: 'status PodDisruptionBudgetStatus',
  },
  Eviction: {
    1: 'metadata ObjectMeta',
    2: 'deleteOptions DeleteOptions',
  },
  PodDisruptionBudgetSpec: {
    1: 'minAvailable IntOrString',
    2: 'selector LabelSelector',
    3: 'maxUnavailable IntOrString',
    4: 'unhealthyPodEvictionPolicy string!',
  },
  PodDisruptionBudgetStatus: {
    1: 'observedGeneration int64',
    2: 'disruptedPods map<string,Time>',
    3: 'disruptionsAllowed int32!',
    4: 'currentHealthy int32!',
    5: 'desiredHealthy int32!',
    6: 'expectedPods int32!',
    7: 'conditions []Condition',
  },
  PriorityClass: {
    1: 'metadata ObjectMeta',
    2: 'value int32!',
    3: 'globalDefault bool',
    4: 'description string',
    5: 'preemptionPolicy string!',
  },
}
