/**
 * Fixtures for the deployment unit tests (upstream's newDeployment and rs helpers): a Deployment
 * with RollingUpdate maxSurge 0 / maxUnavailable 0 unless given, and ReplicaSets by name and size.
 * Test-only; nothing else imports it.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { IntOrString } from '../../api/pod.js'

/** newDeployment(name, replicas, revisionHistoryLimit, maxSurge, maxUnavailable). */
export function newDeployment(
  replicas: number,
  opts: { maxSurge?: IntOrString; maxUnavailable?: IntOrString; historyLimit?: number; type?: string } = {},
): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'foo', namespace: 'default', uid: 'd-uid', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { foo: 'bar' } },
      template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
      strategy:
        opts.type === 'Recreate'
          ? { type: 'Recreate' }
          : {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: opts.maxSurge ?? 0, maxUnavailable: opts.maxUnavailable ?? 0 },
            },
      progressDeadlineSeconds: 600,
    },
  }
  if (opts.historyLimit !== undefined) d.spec.revisionHistoryLimit = opts.historyLimit
  return d
}

/** rs(name, replicas, timestamp) plus status and annotations. */
export function rs(
  name: string,
  replicas: number,
  opts: {
    available?: number
    status?: number
    created?: string
    annotations?: Record<string, string>
    image?: string
  } = {},
): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      creationTimestamp: opts.created ?? '2016-05-20T00:00:00Z',
      annotations: opts.annotations,
      generation: 1,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: 'd-uid', controller: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: { foo: 'bar' } },
      template: {
        metadata: { labels: { foo: 'bar' } },
        spec: { containers: [{ name: 'c', image: opts.image ?? `img:${name}` }] },
      },
    },
    status: {
      replicas: opts.status ?? 0,
      availableReplicas: opts.available ?? 0,
      observedGeneration: 1,
    },
  }
}
