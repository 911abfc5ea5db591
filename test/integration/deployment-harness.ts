/**
 * Shared set-up for the Deployment and ReplicaSet integration tests: a real API server on a memory
 * store, the two controllers under a Manager, and the test acting as node agent (it marks pods
 * Running and Ready through pods/status, or finishes graceful deletions).
 */
import assert from 'node:assert/strict'
import type { Deployment, ReplicaSet } from '../../src/api/apps.js'
import type { Event } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { DEPLOYMENTS, EVENTS, NAMESPACES, PODS, REPLICA_SETS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { withRetryOnConflict } from '../../src/client/retry.js'
import { DeploymentController } from '../../src/controllers/deployment/controller.js'
import { ReplicaSetController } from '../../src/controllers/replicaset/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

/** A running control plane with the two controllers. */
export interface Harness {
  server: ApiServer
  client: RestClient
  ns: string
  stop(): Promise<void>
}

/** Starts the server and controllers and creates namespace ns. */
export async function startHarness(ns: string): Promise<Harness> {
  const store: Store = await openStore('memory:')
  const server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  const client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  await client.create(NAMESPACES, { metadata: { name: ns } })
  const manager = new Manager({ client })
  manager.add(new DeploymentController({ client, informers: manager.informers }))
  manager.add(new ReplicaSetController({ client, informers: manager.informers }))
  const ac = new AbortController()
  const running = manager.start(ac.signal)
  return {
    server,
    client,
    ns,
    async stop() {
      ac.abort()
      await running
      client.close()
      await server.close()
      await store.close()
    },
  }
}

/** Polls cond until true; fails with `what` after ms. Waiting, not a timing assertion. */
export async function until<T>(
  cond: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await cond()
    if (v) return v
    await new Promise(r => setTimeout(r, 20))
  }
  assert.fail(`timed out waiting for ${what}`)
}

/** A Deployment of nginx pods labelled app=name. */
export function deployment(
  name: string,
  ns: string,
  replicas: number,
  image: string,
  extra: Partial<Deployment['spec']> = {},
): Deployment {
  return {
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image }] } },
      ...extra,
    },
  }
}

/** Lists helpers over one harness. */
export function views(h: Harness) {
  const { client, ns } = h
  const list = async <T extends Pod | ReplicaSet>(ref: typeof PODS, selector: string) =>
    (await client.list<T>(ref, { namespace: ns, labelSelector: selector })).items
  return {
    pods: (selector: string) => list<Pod>(PODS, selector),
    replicaSets: (selector: string) => list<ReplicaSet>(REPLICA_SETS, selector),
    deployment: (name: string) => client.get<Deployment>(DEPLOYMENTS, name, { namespace: ns }),
    async events(component: string): Promise<Event[]> {
      const all = (await client.list<Event>(EVENTS, { namespace: ns })).items
      return all.filter(e => e.source?.component === component)
    },
  }
}

/** True when the pod's Ready condition is True. */
export const isReady = (p: Pod) => !!p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True')

/** Acts as the node agent: Running, Ready (and containers ready) through pods/status. */
export async function markReady(client: RestClient, pod: Pod): Promise<void> {
  await withRetryOnConflict(async () => {
    const cur = await client.get<Pod>(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace })
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    cur.status = {
      ...cur.status,
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
        { type: 'Ready', status: 'True', lastTransitionTime: now },
      ],
    }
    await client.updateStatus(PODS, cur)
  }).catch(e => {
    if (!isNotFound(e)) throw e
  })
}

/** Marks every not-ready, not-deleting pod of the selector ready until the Deployment has rolled out. */
export async function rollOut(h: Harness, name: string): Promise<Deployment> {
  const v = views(h)
  return until(async () => {
    const d = await v.deployment(name)
    const s = d.status ?? {}
    const replicas = d.spec.replicas ?? 1
    const complete =
      (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      (s.updatedReplicas ?? 0) === replicas &&
      (s.replicas ?? 0) === replicas &&
      (s.availableReplicas ?? 0) === replicas
    if (complete) return d
    for (const p of await v.pods(`app=${name}`)) {
      if (!isReady(p) && !p.metadata.deletionTimestamp) await markReady(h.client, p)
    }
    return undefined
  }, `deployment ${name} to roll out`)
}
