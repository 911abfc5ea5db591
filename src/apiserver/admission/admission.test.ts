import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KObject } from '../../api/meta.js'
import { type AdmissionReader, runAdmission } from './admission.js'
import { admissionChain } from './chain.js'

function reader(objects: Record<string, KObject[]>): AdmissionReader {
  return {
    get: async (resource, namespace, name) =>
      objects[resource]?.find(o => o.metadata.name === name && (!namespace || o.metadata.namespace === namespace)),
    list: async resource => objects[resource] ?? [],
  }
}

const defaultSA = { metadata: { name: 'default', namespace: 'default' } }

test('a pod gets the default service account, the API access volume and default tolerations', async () => {
  const pod: KObject = {
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  }
  await runAdmission(admissionChain, 'pods', pod, reader({ serviceaccounts: [defaultSA] }))
  const spec = pod.spec as any
  assert.equal(spec.serviceAccountName, 'default')
  assert.match(spec.volumes[0].name, /^kube-api-access-[a-z0-9]{5}$/)
  assert.deepEqual(spec.containers[0].volumeMounts, [
    { name: spec.volumes[0].name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
  ])
  assert.deepEqual(
    spec.tolerations.map((t: any) => [t.key, t.effect, t.tolerationSeconds]),
    [
      ['node.kubernetes.io/not-ready', 'NoExecute', 300],
      ['node.kubernetes.io/unreachable', 'NoExecute', 300],
    ],
  )
})

test('automountServiceAccountToken false skips the volume; a missing account is forbidden', async () => {
  const pod: KObject = {
    metadata: { name: 'p', namespace: 'default' },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'x' }] },
  }
  await runAdmission(admissionChain, 'pods', pod, reader({ serviceaccounts: [defaultSA] }))
  assert.equal((pod.spec as any).volumes, undefined)
  const other: KObject = {
    metadata: { name: 'q', namespace: 'default' },
    spec: { serviceAccountName: 'nope', containers: [] },
  }
  await assert.rejects(runAdmission(admissionChain, 'pods', other, reader({})), {
    message: 'pods "q" is forbidden: error looking up service account default/nope: serviceaccount "nope" not found',
  })
})

test('claims and volumes get the protection finalizers; the class is left to the PV controller', async () => {
  const claim: KObject = { kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: {} }
  await runAdmission(admissionChain, 'persistentvolumeclaims', claim, reader({}))
  assert.equal((claim.spec as any).storageClassName, undefined)
  assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection'])
  const pv: KObject = { kind: 'PersistentVolume', metadata: { name: 'v' }, spec: {} }
  await runAdmission(admissionChain, 'persistentvolumes', pv, reader({}))
  assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection'])
})
