/**
 * Which top-level message decodes which kind. The envelope names the kind and apiVersion; this
 * table names the message. Adding a kind: add its messages to a table under messages/, then a row here.
 */

/** apiVersion → kind → root message name. `*` matches any apiVersion. */
const KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    ConfigMap: 'ConfigMap',
    Secret: 'Secret',
    Namespace: 'Namespace',
    ServiceAccount: 'ServiceAccount',
    Service: 'Service',
    Pod: 'Pod',
    PersistentVolumeClaim: 'PersistentVolumeClaim',
    ResourceQuota: 'ResourceQuota',
  },
  'apps/v1': {
    Deployment: 'Deployment',
    StatefulSet: 'StatefulSet',
    ReplicaSet: 'ReplicaSet',
    DaemonSet: 'DaemonSet',
  },
  'batch/v1': { Job: 'Job', CronJob: 'CronJob' },
  'rbac.authorization.k8s.io/v1': {
    Role: 'Role',
    RoleBinding: 'RoleBinding',
    ClusterRole: 'ClusterRole',
    ClusterRoleBinding: 'ClusterRoleBinding',
  },
  'scheduling.k8s.io/v1': { PriorityClass: 'PriorityClass' },
  'policy/v1': { PodDisruptionBudget: 'PodDisruptionBudget', Eviction: 'Eviction' },
  // policy/v1beta1 Eviction has the same fields; older typed clients still post it.
  'policy/v1beta1': { Eviction: 'Eviction' },
  'autoscaling/v1': { HorizontalPodAutoscaler: 'HorizontalPodAutoscaler', Scale: 'Scale' },
  'autoscaling/v2': { HorizontalPodAutoscaler: 'HorizontalPodAutoscalerV2' },
  'networking.k8s.io/v1': { Ingress: 'Ingress', IngressClass: 'IngressClass' },
  'authentication.k8s.io/v1': { TokenRequest: 'TokenRequest' },
  // DeleteOptions is registered in every group version (metav1.AddToGroupVersion), so a typed
  // client may label it v1, apps/v1, meta.k8s.io/v1, ...
  '*': { DeleteOptions: 'DeleteOptions' },
}

/** The root message for a kind, or undefined when the kind has no table. */
export function rootMessageFor(apiVersion: string, kind: string): string | undefined {
  return KINDS[apiVersion]?.[kind] ?? KINDS['*']?.[kind]
}

/** Every [apiVersion, kind] with a table (`*` for any apiVersion), for docs and tests. */
export function supportedKinds(): Array<[apiVersion: string, kind: string]> {
  return Object.entries(KINDS).flatMap(([gv, kinds]) => Object.keys(kinds).map(k => [gv, k] as [string, string]))
}
