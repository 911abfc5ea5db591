/**
 * Message table: rbac.authorization.k8s.io/v1 (k8s.io/api/rbac/v1/generated.proto): roles and bindings.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** rbac/v1 messages. */
export const rbacV1Messages: MessageTable = {
  Role: {
    1: 'metadata ObjectMeta',
    2: 'rules []PolicyRule',
  },
  RoleBinding: {
    1: 'metadata ObjectMeta',
    2: 'subjects []Subject',
    3: 'roleRef RoleRef',
  },
  ClusterRole: {
    1: 'metadata ObjectMeta',
    2: 'rules []PolicyRule',
    3: 'aggregationRule AggregationRule',
  },
  ClusterRoleBinding: {
    1: 'metadata ObjectMeta',
    2: 'subjects []Subject',
    3: 'roleRef RoleRef',
  },
  PolicyRule: {
    1: 'verbs []string',
    2: 'apiGroups []string',
    3: 'resources []string',
    4: 'resourceNames []string',
    5: 'nonResourceURLs []string',
  },
  Subject: {
    1: 'kind string!',
    2: 'apiGroup string',
    3: 'name string!',
    4: 'namespace string',
  },
  RoleRef: {
    1: 'apiGroup string!',
    2: 'kind string!',
    3: 'name string!',
  },
  AggregationRule: {
    1: 'clusterRoleSelectors []LabelSelector',
  },
}
