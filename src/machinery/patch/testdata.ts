/**
 * Fixtures for this folder's tests: a small StatefulSet schema in SchemaNode form (the real
 * tree comes from machinery/schema) and a realistic live StatefulSet. Test-only: imported by
 * *.test.ts files here and nothing else.
 */
import type { SchemaNode } from '../schema/types.js'

const str: SchemaNode = { kind: 'scalar', scalar: 'string' }
const int: SchemaNode = { kind: 'scalar', scalar: 'integer' }
const strMap: SchemaNode = { kind: 'map', elem: str }
const obj = (fields: Record<string, SchemaNode>, typeName?: string): SchemaNode => ({
  kind: 'object',
  fields,
  ...(typeName ? { typeName } : {}),
})
const mergeList = (elem: SchemaNode, mergeKey: string, listMapKeys?: string[]): SchemaNode => ({
  kind: 'list',
  elem,
  listType: 'map',
  mergeKey,
  listMapKeys: listMapKeys ?? [mergeKey],
  patchStrategy: 'merge',
})

const port = obj({ containerPort: int, name: str, protocol: str })
const envVar = obj({ name: str, value: str, valueFrom: { kind: 'any' } })
const volumeMount = obj({ name: str, mountPath: str, readOnly: { kind: 'scalar', scalar: 'boolean' } })
const container = obj(
  {
    name: str,
    image: str,
    imagePullPolicy: str,
    args: { kind: 'list', elem: str },
    command: { kind: 'list', elem: str },
    ports: mergeList(port, 'containerPort', ['containerPort', 'protocol']),
    env: mergeList(envVar, 'name'),
    volumeMounts: mergeList(volumeMount, 'mountPath'),
    resources: obj({ limits: strMap, requests: strMap }),
  },
  'io.k8s.api.core.v1.Container',
)
const toleration = obj({ key: str, operator: str, value: str, effect: str })
const volume = obj({ name: str, emptyDir: obj({ medium: str }), hostPath: obj({ path: str, type: str }) })

/** ObjectMeta as far as the tests need it. */
export const objectMetaSchema: SchemaNode = obj({
  name: str,
  namespace: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: str,
  labels: strMap,
  annotations: strMap,
  finalizers: { kind: 'list', elem: str, listType: 'set', patchStrategy: 'merge' },
  ownerReferences: mergeList(obj({ apiVersion: str, kind: str, name: str, uid: str }), 'uid'),
  managedFields: { kind: 'list', elem: { kind: 'any' }, listType: 'atomic' },
})

/** PodSpec with the list strategies upstream declares. */
export const podSpecSchema: SchemaNode = obj({
  containers: mergeList(container, 'name'),
  initContainers: mergeList(container, 'name'),
  volumes: { ...mergeList(volume, 'name'), patchStrategy: 'merge,retainKeys' },
  tolerations: { kind: 'list', elem: toleration, listType: 'atomic' },
  nodeSelector: strMap,
  terminationGracePeriodSeconds: int,
  dnsPolicy: str,
  restartPolicy: str,
})

const labelSelector = obj({ matchLabels: strMap, matchExpressions: { kind: 'list', elem: { kind: 'any' } } })

/** A StatefulSet schema: enough of apps/v1 for patch and apply tests. */
export const statefulSetSchema: SchemaNode = obj(
  {
    apiVersion: str,
    kind: str,
    metadata: objectMetaSchema,
    spec: obj({
      replicas: int,
      serviceName: str,
      podManagementPolicy: str,
      selector: { ...labelSelector, mapType: 'atomic' } as SchemaNode,
      template: obj({ metadata: objectMetaSchema, spec: podSpecSchema }),
      updateStrategy: obj({ type: str, rollingUpdate: obj({ partition: int }) }),
      volumeClaimTemplates: { kind: 'list', elem: { kind: 'any' }, listType: 'atomic' },
    }),
    status: obj({ replicas: int, readyReplicas: int, observedGeneration: int }),
  },
  'io.k8s.api.apps.v1.StatefulSet',
)

/** The live `web` StatefulSet from the seed scenarios, as GET returns it. */
export function liveStatefulSet(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '0b6f4c2e-1111-4a5b-9c7d-000000000001',
      resourceVersion: '42',
      generation: 1,
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: 'nginx' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' },
      finalizers: ['example.com/protect'],
    },
    spec: {
      replicas: 2,
      serviceName: 'nginx',
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: 'nginx',
              image: 'registry.k8s.io/nginx-slim:0.8',
              ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }],
              volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }],
            },
          ],
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    },
    status: { replicas: 2, readyReplicas: 2, observedGeneration: 1 },
  }
}
