/**
 * Whole sync passes against a recording fake writer: Recreate ordering, a rolling step, revision
 * bookkeeping on create and rollback, and hash collisions.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import type { EventInput } from '../../client/events.js'
import { silentLogger } from '../../client/log.js'
import { alreadyExists } from '../../machinery/status-error.js'
import { RevisionAnnotation } from './annotations.js'
import { rolloutRecreate, rolloutRolling } from './rollout.js'
import { DeploymentSync } from './sync.js'
import { newDeployment, rs } from './testing.js'
import type { DeploymentWriter } from './writer.js'

/** Records every write; returns what a server would. */
class FakeWriter implements DeploymentWriter {
  actions: string[] = []
  events: string[] = []
  created: ReplicaSet[] = []
  failCreate?: unknown
  private seq = 0
  async createReplicaSet(r: ReplicaSet) {
    if (this.failCreate) throw this.failCreate
    this.actions.push(`create ${r.metadata.name} ${r.spec.replicas}`)
    const out = structuredClone(r)
    out.metadata.uid = `uid-${++this.seq}`
    this.created.push(out)
    return out
  }
  async updateReplicaSet(r: ReplicaSet) {
    this.actions.push(`update ${r.metadata.name} ${r.spec.replicas}`)
    return structuredClone(r)
  }
  async deleteReplicaSet(r: ReplicaSet) {
    this.actions.push(`delete ${r.metadata.name}`)
  }
  async patchReplicaSet(r: ReplicaSet) {
    this.actions.push(`patch ${r.metadata.name}`)
  }
  async updateDeploymentStatus(d: Deployment) {
    this.actions.push('status')
    return { ...structuredClone(d), metadata: { ...d.metadata, resourceVersion: String(++this.seq) } }
  }
  event(_d: Deployment, e: EventInput) {
    this.events.push(e.message)
  }
}

const now = Date.parse('2025-06-01T12:00:00Z')
function sync(w: FakeWriter, d: Deployment, rsList: ReplicaSet[], cached: ReplicaSet[] = []) {
  const env = {
    writer: w,
    getReplicaSet: (_: string, name: string) => cached.find(x => x.metadata.name === name),
    now: () => now,
    log: silentLogger,
  }
  return new DeploymentSync(
    env,
    structuredClone(d),
    rsList.map(x => structuredClone(x)),
  )
}
const rev = (r: ReplicaSet) => r.metadata.annotations?.[RevisionAnnotation]
const running = (uid: string, n: number): Map<string, Pod[]> =>
  new Map([
    [
      uid,
      Array.from({ length: n }, (_, i) => ({
        metadata: { name: `p${i}` },
        spec: { containers: [] },
        status: { phase: 'Running' },
      })),
    ],
  ])

describe('rolloutRecreate', () => {
  const d = () => {
    const x = newDeployment(3, { type: 'Recreate' })
    x.spec.template.spec.containers[0]!.image = 'img:2'
    return x
  }
  const oldRS = (replicas: number, status: number) =>
    rs('foo-old', replicas, { status, available: status, image: 'img:1', annotations: { [RevisionAnnotation]: '1' } })

  it('first scales every old ReplicaSet to 0 and creates nothing', async () => {
    const w = new FakeWriter()
    await rolloutRecreate(sync(w, d(), [oldRS(3, 3)]), running('foo-old-uid', 3))
    assert.deepEqual(w.actions, ['update foo-old 0', 'status'])
    assert.deepEqual(w.events, ['Scaled down replica set foo-old from 3 to 0'])
  })

  it('waits while old pods still run', async () => {
    const w = new FakeWriter()
    await rolloutRecreate(sync(w, d(), [oldRS(0, 3)]), running('foo-old-uid', 3))
    assert.ok(!w.actions.some(a => a.startsWith('create')), w.actions.join())
    const w2 = new FakeWriter()
    await rolloutRecreate(sync(w2, d(), [oldRS(0, 0)]), running('foo-old-uid', 1))
    assert.ok(!w2.actions.some(a => a.startsWith('create')), w2.actions.join())
  })

  it('then creates the new ReplicaSet at full size with the next revision', async () => {
    const w = new FakeWriter()
    const s = sync(w, d(), [oldRS(0, 0)])
    await rolloutRecreate(s, new Map([['foo-old-uid', []]]))
    assert.match(w.actions[0]!, /^create foo-\w+ 3$/)
    assert.equal(rev(w.created[0]!), '2')
    assert.equal(s.d.metadata.annotations?.[RevisionAnnotation], '2')
    assert.match(w.events[0]!, /^Scaled up replica set foo-\w+ from 0 to 3$/)
    assert.deepEqual(s.d.status?.conditions?.find(c => c.type === 'Progressing')?.reason, 'NewReplicaSetCreated')
  })
})

describe('rolloutRolling', () => {
  it('creates the new ReplicaSet at maxSurge and leaves the old one while nothing new is available', async () => {
    const w = new FakeWriter()
    const d = newDeployment(10, { maxSurge: 2, maxUnavailable: 0 })
    d.spec.template.spec.containers[0]!.image = 'img:2'
    const old = rs('foo-old', 10, {
      status: 10,
      available: 10,
      image: 'img:1',
      annotations: { [RevisionAnnotation]: '4' },
    })
    await rolloutRolling(sync(w, d, [old]))
    assert.match(w.actions[0]!, /^create foo-\w+ 2$/)
    assert.equal(rev(w.created[0]!), '5')
    assert.equal(w.created[0]!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '12')
  })

  it('scales old down once new pods are available, then reports status', async () => {
    const w = new FakeWriter()
    const d = newDeployment(10, { maxSurge: 2, maxUnavailable: 0 })
    const newRS = rs('foo-new', 2, {
      status: 2,
      available: 2,
      image: 'img:1',
      annotations: { [RevisionAnnotation]: '2' },
    })
    const old = rs('foo-old', 10, {
      status: 10,
      available: 10,
      image: 'img:0',
      annotations: { [RevisionAnnotation]: '1' },
    })
    // The new ReplicaSet is the one matching the template.
    d.spec.template = structuredClone(newRS.spec.template)
    d.metadata.annotations = { [RevisionAnnotation]: '2' }
    await rolloutRolling(sync(w, d, [old, newRS]))
    // The first write records FoundNewReplicaSet (the Deployment had no Progressing condition yet).
    assert.deepEqual(w.actions, ['status', 'update foo-old 8', 'status'])
    assert.ok(w.events.includes('Scaled down replica set foo-old from 10 to 8'))
  })
})

describe('getNewReplicaSet', () => {
  it('rolling back to an old template reuses its ReplicaSet and moves it to the next revision', async () => {
    const w = new FakeWriter()
    const d = newDeployment(3, { maxSurge: 1 })
    const first = rs('foo-1', 0, { image: 'img:1', annotations: { [RevisionAnnotation]: '1' } })
    const second = rs('foo-2', 3, {
      status: 3,
      available: 3,
      image: 'img:2',
      annotations: { [RevisionAnnotation]: '2' },
    })
    d.spec.template = structuredClone(first.spec.template)
    const s = sync(w, d, [first, second])
    const { newRS } = await s.split(false)
    assert.equal(newRS?.metadata.name, 'foo-1')
    assert.equal(rev(newRS!), '3')
    assert.equal(newRS!.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1')
    assert.deepEqual(w.actions, ['update foo-1 0'])
  })

  it('a name taken by a foreign ReplicaSet bumps collisionCount and fails the sync', async () => {
    const w = new FakeWriter()
    const d = newDeployment(3)
    w.failCreate = alreadyExists({ group: 'apps', resource: 'replicasets' }, 'x')
    const probe = sync(new FakeWriter(), d, [])
    await probe.split(true)
    const name = probe.rsList[0]!.metadata.name!
    const foreign = rs(name, 1)
    foreign.metadata.ownerReferences = []
    const s = sync(w, d, [], [foreign])
    await assert.rejects(s.split(true))
    assert.equal(s.d.status?.collisionCount, 1)
    assert.deepEqual(w.actions, ['status'])
  })
})
