import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { applyPatch } from './apply.js'
import { isPatchError } from './errors.js'
import { updateManagedFields } from './managed-fields.js'
import { statefulSetSchema as schema } from './testdata.js'

const T1 = '2025-01-01T00:00:00Z'
const T2 = '2025-01-01T00:01:00Z'
const T3 = '2025-01-01T00:02:00Z'
const apply = (live: object | undefined, cfg: object, manager: string, now = T1, force = false) =>
  applyPatch(live, cfg, { manager, force, schema, apiVersion: 'apps/v1', now }) as any

/** The file kubectl apply --server-side sends for the seed StatefulSet. */
function webConfig(over: { replicas?: number; image?: string; tier?: string } = {}): any {
  const labels: Record<string, string> = { app: 'nginx' }
  if (over.tier) labels.tier = over.tier
  const spec: any = {
    serviceName: 'nginx',
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels },
      spec: {
        containers: [
          { name: 'nginx', image: over.image ?? 'registry.k8s.io/nginx-slim:0.8', ports: [{ containerPort: 80 }] },
        ],
      },
    },
  }
  if (over.replicas !== undefined) spec.replicas = over.replicas
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' }, spec }
}

const entry = (obj: any, manager: string) => obj.metadata.managedFields.find((e: any) => e.manager === manager)
const conflictWith = (re: RegExp) => (e: unknown) => isPatchError(e) && e.kind === 'Conflict' && re.test(e.message)

describe('applyPatch: ownership', () => {
  test('first apply creates the object and records exactly what it applied', () => {
    const out = apply(undefined, webConfig({ replicas: 2 }), 'kubectl')
    const { managedFields, ...metadata } = out.metadata
    assert.deepEqual({ ...out, metadata }, webConfig({ replicas: 2 }))
    assert.deepEqual(managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:serviceName': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ])
  })

  test('applying the same configuration again changes nothing, not even the time', () => {
    const first = apply(undefined, webConfig({ replicas: 2 }), 'kubectl', T1)
    const again = apply(first, webConfig({ replicas: 2 }), 'kubectl', T2)
    assert.deepEqual(again, first)
  })

  test('a field the manager stops applying is removed', () => {
    const first = apply(undefined, webConfig({ replicas: 2, tier: 'web' }), 'kubectl', T1)
    const second = apply(first, webConfig({ replicas: 2 }), 'kubectl', T2)
    assert.deepEqual(second.spec.template.metadata.labels, { app: 'nginx' })
    assert.deepEqual(entry(second, 'kubectl').fieldsV1['f:spec']['f:template']['f:metadata'], {
      'f:labels': { 'f:app': {} },
    })
    assert.equal(entry(second, 'kubectl').time, T2)
  })

  test('a field the manager stops applying stays when another manager owns it too', () => {
    const first = apply(undefined, webConfig({ replicas: 2 }), 'kubectl', T1)
    const shared = apply(
      first,
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { replicas: 2 } },
      'ops',
      T2,
    )
    const dropped = apply(shared, webConfig(), 'kubectl', T3)
    assert.equal(dropped.spec.replicas, 2)
    assert.deepEqual(entry(dropped, 'ops').fieldsV1, { 'f:spec': { 'f:replicas': {} } })
    assert.equal(entry(dropped, 'kubectl').fieldsV1['f:spec']['f:replicas'], undefined)
  })

  test('fields nobody applied (server defaults) survive a re-apply', () => {
    const first = apply(undefined, webConfig({ replicas: 2 }), 'kubectl', T1)
    first.spec.podManagementPolicy = 'OrderedReady' // defaulted by the registry, owned by nobody
    const second = apply(first, webConfig({ replicas: 3 }), 'kubectl', T2)
    assert.equal(second.spec.podManagementPolicy, 'OrderedReady')
    assert.equal(second.spec.replicas, 3)
  })

  test('status sent to the main resource is never owned', () => {
    const out = apply(undefined, { ...webConfig(), status: { replicas: 9 } }, 'kubectl')
    assert.equal(entry(out, 'kubectl').fieldsV1['f:status'], undefined)
  })

  test('metadata.managedFields in the configuration is rejected', () => {
    const cfg = webConfig()
    cfg.metadata.managedFields = [{ manager: 'x' }]
    assert.throws(
      () => apply(undefined, cfg, 'kubectl'),
      (e: unknown) => isPatchError(e) && e.kind === 'BadRequest',
    )
  })

  test('inputs are not mutated', () => {
    const live = apply(undefined, webConfig({ replicas: 2 }), 'a')
    const before = structuredClone(live)
    const cfg = webConfig({ replicas: 2, tier: 'x' })
    const cfgBefore = structuredClone(cfg)
    apply(live, cfg, 'b')
    assert.deepEqual(live, before)
    assert.deepEqual(cfg, cfgBefore)
  })
})

describe('applyPatch: conflicts', () => {
  const live = () => apply(undefined, webConfig({ replicas: 2 }), 'kubectl', T1)
  const replicas = (n: number) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: { replicas: n },
  })

  test('another applier changing an owned field gets 409 with upstream wording', () => {
    assert.throws(
      () => apply(live(), replicas(5), 'ops', T2),
      (e: unknown) => {
        assert.ok(isPatchError(e))
        assert.equal(e.kind, 'Conflict')
        assert.equal(e.code, 409)
        assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas')
        assert.deepEqual(e.causes, [
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' },
        ])
        return true
      },
    )
  })

  test('applying the same value shares ownership without conflict', () => {
    const out = apply(live(), replicas(2), 'ops', T2)
    assert.deepEqual(entry(out, 'ops').fieldsV1, { 'f:spec': { 'f:replicas': {} } })
    assert.deepEqual(entry(out, 'kubectl').fieldsV1['f:spec']['f:replicas'], {})
  })

  test('force moves ownership to the applier', () => {
    const out = apply(live(), replicas(5), 'ops', T2, true)
    assert.equal(out.spec.replicas, 5)
    assert.deepEqual(entry(out, 'ops').fieldsV1, { 'f:spec': { 'f:replicas': {} } })
    assert.equal(entry(out, 'kubectl').fieldsV1['f:spec']['f:replicas'], undefined)
    // The old owner re-applying its old value now conflicts the other way.
    assert.throws(
      () => apply(out, webConfig({ replicas: 2 }), 'kubectl', T3),
      conflictWith(/conflict with "ops": \.spec\.replicas$/),
    )
  })

  test('an Update owner (client-side apply) conflicts with a later server-side apply', () => {
    const created = updateManagedFields(undefined, webConfig({ replicas: 2 }), {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      now: T1,
      schema,
    })
    assert.throws(
      () => apply(created, replicas(3), 'kubectl', T2),
      conflictWith(
        /^Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas$/,
      ),
    )
  })

  test('several conflicts are listed per manager', () => {
    const cfg = webConfig({ replicas: 7, image: 'nginx:2' })
    assert.throws(
      () => apply(live(), cfg, 'ops', T2),
      conflictWith(
        /^Apply failed with 2 conflicts: conflicts with "kubectl":\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="nginx"\]\.image$/,
      ),
    )
  })

  test('objects without managedFields are owned by before-first-apply', () => {
    const bare = structuredClone(webConfig({ replicas: 2 }))
    assert.throws(
      () => apply(bare, replicas(4), 'kubectl', T2),
      conflictWith(/conflict with "before-first-apply" using apps\/v1: \.spec\.replicas/),
    )
  })
})

describe('applyPatch: list-map items are owned per key', () => {
  const sidecar = { name: 'sidecar', image: 'busybox' }
  const withContainers = (containers: unknown[]) => {
    const cfg = webConfig()
    cfg.spec.template.spec.containers = containers
    return cfg
  }
  const names = (o: any) => o.spec.template.spec.containers.map((c: any) => c.name)

  test('two appliers each keep their own container', () => {
    const a = apply(undefined, webConfig(), 'a', T1)
    const b = apply(a, withContainers([sidecar]), 'b', T2)
    assert.deepEqual(names(b), ['nginx', 'sidecar'])
    assert.ok(entry(b, 'b').fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"sidecar"}'])
    assert.equal(
      entry(b, 'b').fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}'],
      undefined,
    )

    const aUpdates = apply(b, webConfig({ image: 'nginx:2' }), 'a', T3)
    assert.deepEqual(names(aUpdates), ['nginx', 'sidecar'])
    assert.equal(aUpdates.spec.template.spec.containers[0].image, 'nginx:2')

    const aDrops = apply(b, withContainers([]), 'a', T3)
    assert.deepEqual(names(aDrops), ['sidecar'], 'the item a alone owned is pruned; b keeps its item')
  })

  test("changing a field inside another applier's item conflicts on that field", () => {
    const a = apply(undefined, webConfig(), 'a', T1)
    assert.throws(
      () => apply(a, withContainers([{ name: 'nginx', image: 'evil' }]), 'b', T2),
      conflictWith(/conflict with "a": \.spec\.template\.spec\.containers\[name="nginx"\]\.image$/),
    )
  })

  test('duplicate keys in the configuration are rejected', () => {
    assert.throws(
      () => apply(undefined, withContainers([{ name: 'x' }, { name: 'x' }]), 'a'),
      (e: unknown) =>
        isPatchError(e) && e.kind === 'Invalid' && /duplicate entries for key \[name="x"\]/.test(e.message),
    )
  })

  test('finalizers are a set: each applier owns its values', () => {
    const meta = (f: string[]) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', finalizers: f },
    })
    const a = apply(undefined, meta(['a/x']), 'a', T1)
    const b = apply(a, meta(['b/y']), 'b', T2)
    assert.deepEqual(b.metadata.finalizers, ['a/x', 'b/y'])
    assert.deepEqual(entry(b, 'b').fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"b/y"': {} } } })
    const aDrops = apply(b, meta([]), 'a', T3)
    assert.deepEqual(aDrops.metadata.finalizers, ['b/y'])
  })
})
