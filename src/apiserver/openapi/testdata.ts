/**
 * A realistic resource list for OpenAPI tests, shaped as the apiserver wires it from its registry.
 * Test-only: imported by *.test.ts files.
 */
import type { ServedResource } from './resources.js'

const r = (
  group: string,
  kind: string,
  resource: string,
  namespaced: boolean,
  subresources: string[] = [],
): ServedResource => ({ group, version: 'v1', kind, resource, namespaced, subresources })

/** The resources petset serves, with their subresources. */
export const testResources: ServedResource[] = [
  r('', 'Namespace', 'namespaces', false, ['status']),
  r('', 'Node', 'nodes', false, ['status']),
  r('', 'Pod', 'pods', true, ['status', 'binding', 'eviction', 'log', 'exec']),
  r('', 'PodTemplate', 'podtemplates', true),
  r('', 'Service', 'services', true, ['status']),
  r('', 'Endpoints', 'endpoints', true),
  r('', 'ConfigMap', 'configmaps', true),
  r('', 'Secret', 'secrets', true),
  r('', 'ServiceAccount', 'serviceaccounts', true),
  r('', 'PersistentVolume', 'persistentvolumes', false, ['status']),
  r('', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['status']),
  r('', 'Event', 'events', true),
  r('apps', 'StatefulSet', 'statefulsets', true, ['status', 'scale']),
  r('apps', 'Deployment', 'deployments', true, ['status', 'scale']),
  r('apps', 'ReplicaSet', 'replicasets', true, ['status', 'scale']),
  r('apps', 'ControllerRevision', 'controllerrevisions', true),
  r('storage.k8s.io', 'StorageClass', 'storageclasses', false),
  r('coordination.k8s.io', 'Lease', 'leases', true),
  r('discovery.k8s.io', 'EndpointSlice', 'endpointslices', true),
  r('events.k8s.io', 'Event', 'events', true),
]

/** Short names kubectl resolves through discovery. */
export const shortNames: Record<string, string[]> = {
  pods: ['po'],
  services: ['svc'],
  statefulsets: ['sts'],
  deployments: ['deploy'],
  replicasets: ['rs'],
  persistentvolumeclaims: ['pvc'],
  persistentvolumes: ['pv'],
  configmaps: ['cm'],
  namespaces: ['ns'],
  nodes: ['no'],
  storageclasses: ['sc'],
}
