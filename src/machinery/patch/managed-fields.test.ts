import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fieldSetFromPaths } from './field-set.js'
import { capUpdateManagers, defaultFieldManager, MAX_UPDATE_MANAGERS, updateManagedFields } from './managed-fields.js'
import { liveStatefulSet, statefulSetSchema as schema } from './testdata.js'

const T1 = '2025-01-01T00:00:00Z'
const T2 = '2025-01-01T00:01:00Z'
const update = (old: object | undefined, obj: object, manager: string, now: string, subresource?: string) =>
  updateManagedFields(old, obj, {
    manager,
    operation: 'Update',
    apiVersion: 'apps/v1',
    now,
    schema,
    subresource,
  }) as any
const fieldsOf = (o: any, manager: string) => o.metadata.managedFields.find((e: any) => e.manager === manager)?.fieldsV1

/** A freshly created StatefulSet as kubectl create sends it (no server fields, no status). */
function created(): any {
  const o = liveStatefulSet()
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'finalizers', 'annotations'])
    delete o.metadata[k]
  delete o.status
  delete o.spec.template.spec.tolerations
  delete o.spec.volumeClaimTemplates
  delete o.spec.updateStrategy
  return o
}

describe('updateManagedFields', () => {
  test('create: every set field belongs to the creator, in upstream shape', () => {
    const out = update(undefined, created(), 'kubectl-create', T1)
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:podManagementPolicy': {},
            'f:replicas': {},
            'f:selector': {},
            'f:serviceName': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': {
                        '.': {},
                        'f:containerPort': {},
                        'f:name': {},
                        'f:protocol': {},
                      },
                    },
                    'f:volumeMounts': {
                      'k:{"mountPath":"/usr/share/nginx/html"}': { '.': {}, 'f:mountPath': {}, 'f:name': {} },
                    },
                  },
                },
                'f:terminationGracePeriodSeconds': {},
              },
            },
          },
        },
      },
    ])
  })

  test('an update takes the changed field from the previous owner', () => {
    const v1 = update(undefined, created(), 'kubectl-create', T1)
    const scaled = structuredClone(v1)
    scaled.spec.replicas = 5
    const v2 = update(v1, scaled, 'kubectl-scale', T2)
    assert.deepEqual(fieldsOf(v2, 'kubectl-scale'), { 'f:spec': { 'f:replicas': {} } })
    assert.equal(fieldsOf(v2, 'kubectl-create')['f:spec']['f:replicas'], undefined)
    assert.equal(v2.metadata.managedFields[0].time, T1, 'the creator keeps its time')
  })

  test('a removed field leaves every set; an emptied entry is dropped', () => {
    const v1 = update(undefined, created(), 'kubectl-create', T1)
    const scaled = structuredClone(v1)
    scaled.spec.replicas = 5
    const v2 = update(v1, scaled, 'kubectl-scale', T2)
    const unset = structuredClone(v2)
    delete unset.spec.replicas
    const v3 = update(v2, unset, 'kubectl-edit', T2)
    assert.deepEqual(
      v3.metadata.managedFields.map((e: any) => e.manager),
      ['kubectl-create'],
    )
  })

  test('a write that changes nothing leaves the entries untouched', () => {
    const v1 = update(undefined, created(), 'kubectl-create', T1)
    assert.deepEqual(update(v1, structuredClone(v1), 'someone', T2), v1)
  })

  test('the same manager merges into one entry and gets the new time', () => {
    const v1 = update(undefined, created(), 'm', T1)
    const next = structuredClone(v1)
    next.spec.template.metadata.labels.tier = 'web'
    const v2 = update(v1, next, 'm', T2)
    assert.equal(v2.metadata.managedFields.length, 1)
    assert.equal(v2.metadata.managedFields[0].time, T2)
    assert.deepEqual(fieldsOf(v2, 'm')['f:spec']['f:template']['f:metadata']['f:labels']['f:tier'], {})
  })

  test('status writes are tracked only under the status subresource', () => {
    const v1 = update(undefined, created(), 'kubectl-create', T1)
    const withStatus = structuredClone(v1)
    withStatus.status = { replicas: 1 }
    const viaMain = update(v1, withStatus, 'sneaky', T2)
    assert.equal(fieldsOf(viaMain, 'sneaky'), undefined)
    const viaStatus = update(v1, withStatus, 'petset-controller', T2, 'status')
    const e = viaStatus.metadata.managedFields.find((x: any) => x.manager === 'petset-controller')
    assert.equal(e.subresource, 'status')
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:replicas': {} } })
  })

  test('server-set metadata is never owned', () => {
    const obj = created()
    obj.metadata.uid = 'u'
    obj.metadata.resourceVersion = '1'
    obj.metadata.generation = 1
    const out = update(undefined, obj, 'm', T1)
    assert.deepEqual(Object.keys(fieldsOf(out, 'm')['f:metadata']), ['f:labels'])
  })

  test('an existing object without managedFields stays untracked (upstream skips until first apply)', () => {
    const old = created()
    const next = structuredClone(old)
    next.spec.replicas = 3
    const out = update(old, next, 'm', T1)
    assert.equal(out.metadata.managedFields, undefined)
  })

  test('managedFields: [] in the request resets tracking', () => {
    const v1 = update(undefined, created(), 'm', T1)
    const next = structuredClone(v1)
    next.metadata.managedFields = []
    assert.equal(update(v1, next, 'm', T2).metadata.managedFields, undefined)
  })

  test('inputs are not mutated', () => {
    const old = update(undefined, created(), 'm', T1)
    const next = structuredClone(old)
    next.spec.replicas = 9
    const [a, b] = [structuredClone(old), structuredClone(next)]
    update(old, next, 'n', T2)
    assert.deepEqual(old, a)
    assert.deepEqual(next, b)
  })
})

describe('capUpdateManagers', () => {
  test('the oldest Update entries merge into ancient-changes', () => {
    const entries = Array.from({ length: MAX_UPDATE_MANAGERS + 2 }, (_, i) => ({
      manager: `m${String(i).padStart(2, '0')}`,
      operation: 'Update' as const,
      apiVersion: 'v1',
      time: `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      fields: fieldSetFromPaths([[`f:f${i}`]]),
    }))
    const capped = capUpdateManagers(entries)
    assert.equal(capped.length, MAX_UPDATE_MANAGERS)
    const ancient = capped.find(e => e.manager === 'ancient-changes')!
    assert.deepEqual([...ancient.fields.children.keys()].sort(), ['f:f0', 'f:f1', 'f:f2'])
    assert.equal(ancient.time, '2025-01-01T00:00:02Z')
  })
})

describe('defaultFieldManager', () => {
  const cases: [string | undefined, string | undefined, string][] = [
    ['kubectl-client-side-apply', 'kubectl/v1.31.0 (linux/amd64)', 'kubectl-client-side-apply'],
    [undefined, 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc', 'kubectl'],
    [undefined, 'kube-controller-manager/v1.31.0', 'kube-controller-manager'],
    ['', undefined, 'unknown'],
    [undefined, 'a\u0007b/1', 'ab'],
  ]
  for (const [fm, ua, want] of cases)
    test(`${fm} / ${ua} → ${want}`, () => assert.equal(defaultFieldManager(fm, ua), want))
})
