/**
 * Test fixtures: a StatefulSet and a claim template as the API server stores them after defaulting,
 * and pods in given states for table-driven plan cases. Test support only.
 */
import type { ControllerRevision, StatefulSet, StatefulSetSpec } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { type Plan, planStatefulSet } from './plan.js'
import { newVersionedStatefulSetPod } from './pods.js'
import { newRevision } from './revisions.js'

/**
 * A StatefulSet as the API server stores it after defaulting (statefulset.md §6.2): the seed `web`
 * set by default (`app: <name>` labels, serviceName nginx, nginx:1.9.1), in namespace default.
 */
export function newStatefulSet(name = 'web', replicas = 2, spec: Partial<StatefulSetSpec> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', uid: `${name}-uid`, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      serviceName: 'nginx',
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: {
        metadata: { labels: { app: name }, creationTimestamp: null } as unknown as StatefulSet['metadata'],
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.9.1',
              ports: [{ name: 'web', containerPort: 80, protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      ...spec,
    },
    status: { replicas: 0, availableReplicas: 0 },
  }
}

/** A claim template as defaulting leaves it (`www`, ReadWriteOnce, 1Gi). */
export function claimTemplate(name = 'www'): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, creationTimestamp: null } as unknown as PersistentVolumeClaim['metadata'],
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  }
}

/** A pod's condition in a plan case. */
export type State = 'pending' | 'ready' | 'unready' | 'terminating' | 'failed' | 'succeeded'
/** One pod of a plan case: ordinal, state, and whether it runs the old or the new revision. */
export type PodSpec = [ordinal: number, state: State, revision?: 'old' | 'new']

/** The time plan cases run at. */
export const NOW = Date.parse('2024-05-01T10:00:00Z')

/** A set whose template changed once: revision 1 (old) and revision 2 (new, the live template). */
export function twoRevisions(set: StatefulSet): { old: ControllerRevision; new: ControllerRevision } {
  const oldSet = structuredClone(set)
  oldSet.spec.template.spec.containers[0]!.image = 'nginx:old'
  return { old: newRevision(oldSet, 1, 0), new: newRevision(set, 2, 0) }
}

/** A pod of the set in the given state. */
export function makePod(
  set: StatefulSet,
  revs: ReturnType<typeof twoRevisions>,
  [ordinal, state, rev = 'new']: PodSpec,
): Pod {
  const names = { current: revs.old.metadata.name!, update: revs.new.metadata.name! }
  const strategy = { type: 'RollingUpdate', rollingUpdate: { partition: rev === 'old' ? 1e9 : 0 } }
  const forPod = { ...set, spec: { ...set.spec, updateStrategy: strategy } }
  const pod = newVersionedStatefulSetPod(forPod, forPod, names, ordinal)
  pod.metadata.uid = `uid-${ordinal}`
  const phase = { pending: 'Pending', failed: 'Failed', succeeded: 'Succeeded' }[state as string] ?? 'Running'
  const ready = state === 'ready' || state === 'terminating' ? 'True' : 'False'
  pod.status = {
    phase,
    conditions: [{ type: 'Ready', status: ready, lastTransitionTime: new Date(NOW - 60_000).toISOString() }],
  }
  if (state === 'terminating') pod.metadata.deletionTimestamp = new Date(NOW).toISOString()
  return pod
}

/** planStatefulSet for the seed set with `replicas`, the given spec overrides and pods (current = old revision). */
export function planFor(
  spec: Partial<StatefulSetSpec>,
  pods: PodSpec[],
  replicas = 3,
  mutate?: (s: StatefulSet) => void,
): Plan {
  const set = newStatefulSet('web', replicas, spec)
  mutate?.(set)
  const revs = twoRevisions(set)
  return planStatefulSet({
    set,
    pods: pods.map(p => makePod(set, revs, p)),
    claims: new Map(),
    currentRevision: revs.old,
    updateRevision: revs.new,
    collisionCount: 0,
    now: NOW,
  })
}

/** The plan as lines: `create web-0`, `delete web-3 (scaleDown)`, … in execution order. */
export function planLines(p: Plan): string[] {
  const all = [...p.replicas, ...p.condemnedClaims, ...p.condemned, p.update].flat()
  return all.map(a => `${a.type} ${a.pod.metadata.name}${a.type === 'deletePod' ? ` (${a.reason})` : ''}`)
}
