/** Table tests of the PV controller's claim decisions (syncUnboundClaim, syncBoundClaim, provisioning). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { StorageClass } from '../../api/storage.js'
import { type ClaimPlan, planClaim } from './plan-claim.js'
import { pv, pvc, sc } from './test-fixtures.js'

const bound = { 'pv.kubernetes.io/bind-completed': 'yes' }
const byController = { 'pv.kubernetes.io/bound-by-controller': 'yes' }
const localPath = sc('standard', { mode: 'WaitForFirstConsumer', isDefault: true })

/** Only the fields a test names are compared. */
function summary(plan: ClaimPlan): Record<string, unknown> {
  switch (plan.action) {
    case 'bind':
      return { action: 'bind', volume: plan.volume.metadata.name }
    case 'status':
      return { action: 'status', phase: plan.phase, reason: plan.event?.reason }
    case 'report':
    case 'fail':
      return { action: plan.action, reason: plan.event.reason, message: plan.event.message }
    default:
      return { ...plan }
  }
}

const claimCases: {
  name: string
  claim: PersistentVolumeClaim
  volumes?: PersistentVolume[]
  classes?: StorageClass[]
  pods?: string[]
  want: Record<string, unknown>
}[] = [
  {
    name: 'an unbound claim binds the best match',
    claim: pvc('a'),
    volumes: [pv('pv1')],
    want: { action: 'bind', volume: 'pv1' },
  },
  {
    name: 'no volume, no class, no default class: FailedBinding and Pending',
    claim: pvc('a'),
    want: { action: 'status', phase: 'Pending', reason: 'FailedBinding' },
  },
  {
    name: 'no volume, no class, a default class exists: the class is assigned (retroactively)',
    claim: pvc('a'),
    classes: [localPath],
    want: { action: 'assignDefaultClass', className: 'standard' },
  },
  {
    name: 'a class-less claim still prefers a class-less volume over the default class',
    claim: pvc('a'),
    volumes: [pv('pv1')],
    classes: [localPath],
    want: { action: 'bind', volume: 'pv1' },
  },
  {
    name: 'storageClassName "" never gets the default class',
    claim: pvc('a', { className: '' }),
    classes: [localPath],
    want: { action: 'status', phase: 'Pending', reason: 'FailedBinding' },
  },
  {
    name: 'WaitForFirstConsumer without a selected node waits for a consumer',
    claim: pvc('a', { className: 'standard' }),
    classes: [localPath],
    want: { action: 'status', phase: 'Pending', reason: 'WaitForFirstConsumer' },
  },
  {
    name: 'WaitForFirstConsumer with an unscheduled pod names the pod',
    claim: pvc('a', { className: 'standard' }),
    classes: [localPath],
    pods: ['web-0'],
    want: { action: 'status', phase: 'Pending', reason: 'WaitForPodScheduled' },
  },
  {
    name: 'WaitForFirstConsumer does not bind a free static volume itself (the scheduler does)',
    claim: pvc('a', { className: 'standard' }),
    classes: [localPath],
    volumes: [pv('pv1', { className: 'standard' })],
    want: { action: 'status', phase: 'Pending', reason: 'WaitForFirstConsumer' },
  },
  {
    name: 'WaitForFirstConsumer with a selected node goes to the external provisioner',
    claim: pvc('a', { className: 'standard', annotations: { 'volume.kubernetes.io/selected-node': 'node-1' } }),
    classes: [localPath],
    want: { action: 'provision', provisioner: 'petset.dev/local-path' },
  },
  {
    name: 'Immediate class: the external provisioner at once',
    claim: pvc('a', { className: 'fast' }),
    classes: [sc('fast')],
    want: { action: 'provision', provisioner: 'petset.dev/local-path' },
  },
  {
    name: 'a missing class is reported',
    claim: pvc('a', { className: 'gold' }),
    want: { action: 'report', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "gold" not found' },
  },
  {
    name: 'kubernetes.io/no-provisioner has no plugin',
    claim: pvc('a', { className: 'manual' }),
    classes: [sc('manual', { provisioner: 'kubernetes.io/no-provisioner' })],
    want: {
      action: 'report',
      reason: 'ProvisioningFailed',
      message: 'no volume plugin matched name: kubernetes.io/no-provisioner',
    },
  },
  {
    name: 'a claim naming a missing volume stays Pending',
    claim: pvc('a', { volumeName: 'nope' }),
    want: { action: 'status', phase: 'Pending', reason: undefined },
  },
  {
    name: 'a claim naming a free, fitting volume binds it',
    claim: pvc('a', { volumeName: 'pv1' }),
    volumes: [pv('pv1')],
    want: { action: 'bind', volume: 'pv1' },
  },
  {
    name: 'a claim naming a too small volume gets VolumeMismatch',
    claim: pvc('a', { volumeName: 'pv1', size: '10Gi' }),
    volumes: [pv('pv1')],
    want: { action: 'status', phase: 'Pending', reason: 'VolumeMismatch' },
  },
  {
    name: 'a claim naming a volume bound elsewhere waits with FailedBinding',
    claim: pvc('a', { volumeName: 'pv1' }),
    volumes: [pv('pv1', { claim: { name: 'b', uid: 'uid-b' } })],
    want: { action: 'status', phase: 'Pending', reason: 'FailedBinding' },
  },
  {
    name: 'a claim bound by the controller to a volume claimed by another claim is an error',
    claim: pvc('a', { volumeName: 'pv1', annotations: byController }),
    volumes: [pv('pv1', { claim: { name: 'b', uid: 'uid-b' } })],
    want: {
      action: 'fail',
      reason: 'FailedBinding',
      message: 'volume "pv1" already bound to a different claim.',
    },
  },
  {
    name: 'a bound claim whose volume is consistent re-asserts the binding (no-op writes)',
    claim: pvc('a', { volumeName: 'pv1', annotations: bound, phase: 'Bound' }),
    volumes: [pv('pv1', { claim: { name: 'a', uid: 'uid-a' }, phase: 'Bound' })],
    want: { action: 'bind', volume: 'pv1' },
  },
  {
    name: 'a bound claim whose volume is gone is Lost',
    claim: pvc('a', { volumeName: 'pv1', annotations: bound, phase: 'Bound' }),
    want: { action: 'status', phase: 'Lost', reason: 'ClaimLost' },
  },
  {
    name: 'a bound claim whose volume names another uid is misbound',
    claim: pvc('a', { volumeName: 'pv1', annotations: bound, phase: 'Bound' }),
    volumes: [pv('pv1', { claim: { name: 'a', uid: 'someone-else' } })],
    want: { action: 'status', phase: 'Lost', reason: 'ClaimMisbound' },
  },
]

for (const c of claimCases)
  test(`claim: ${c.name}`, () => {
    const plan = planClaim({
      claim: c.claim,
      volumes: c.volumes ?? [],
      classes: c.classes ?? [],
      unscheduledPods: c.pods ?? [],
    })
    const got = summary(plan)
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k], v, `${k} of ${JSON.stringify(got)}`)
  })
