/**
 * Message table: meta/v1 (k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto): ObjectMeta, selectors, DeleteOptions, Condition.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** meta/v1 messages. */
export const metaV1Messages: MessageTable = {
  DeleteOptions: {
    1: 'gracePeriodSeconds int64!',
    2: 'preconditions Preconditions',
    3: 'orphanDependents bool!',
    4: 'propagationPolicy string!',
    5: 'dryRun []string',
    6: 'ignoreStoreReadErrorWithClusterBreakingPotential bool!',
  },
  ObjectMeta: {
    1: 'name string',
    2: 'generateName string',
    3: 'namespace string',
    4: 'selfLink string',
    5: 'uid string',
    6: 'resourceVersion string',
    7: 'generation int64',
    8: 'creationTimestamp Time',
    9: 'deletionTimestamp Time',
    10: 'deletionGracePeriodSeconds int64!',
    11: 'labels map<string,string>',
    12: 'annotations map<string,string>',
    13: 'ownerReferences []OwnerReference',
    14: 'finalizers []string',
    17: 'managedFields []ManagedFieldsEntry',
  },
  Preconditions: {
    1: 'uid string!',
    2: 'resourceVersion string!',
  },
  OwnerReference: {
    5: 'apiVersion string!',
    1: 'kind string!',
    3: 'name string!',
    4: 'uid string!',
    6: 'controller bool!',
    7: 'blockOwnerDeletion bool!',
  },
  ManagedFieldsEntry: {
    1: 'manager string',
    2: 'operation string',
    3: 'apiVersion string',
    4: 'time Time',
    6: 'fieldsType string',
    7: 'fieldsV1 FieldsV1',
    8: 'subresource string',
  },
  Condition: {
    1: 'type string!',
    2: 'status string!',
    3: 'observedGeneration int64',
    4: 'lastTransitionTime Time',
    5: 'reason string!',
    6: 'message string!',
  },
  LabelSelector: {
    1: 'matchLabels map<string,string>',
    2: 'matchExpressions []LabelSelectorRequirement',
  },
  LabelSelectorRequirement: {
    1: 'key string!',
    2: 'operator string!',
    3: 'values []string',
  },
}
