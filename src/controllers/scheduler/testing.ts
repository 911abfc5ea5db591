/** Test builders for scheduler unit tests: nodes and pods with just the fields that matter. */
import type { Node, Taint } from '../../api/core.js'
import type { Pod, PodSpec } from '../../api/pod.js'

/** A Ready node with labels, allocatable and taints. */
export function makeNode(
  name: string,
  opts: {
    labels?: Record<string, string>
    cpu?: string
    memory?: string
    pods?: string
    taints?: Taint[]
    ready?: 'True' | 'False' | 'Unknown'
    unschedulable?: boolean
  } = {},
): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: {
      allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' },
      conditions: [{ type: 'Ready', status: opts.ready ?? 'True' }],
    },
  }
}

/** A pod with one container requesting cpu/memory, plus any spec overrides. */
export function makePod(
  name: string,
  opts: { cpu?: string; memory?: string; owner?: string; spec?: Partial<PodSpec>; uid?: string } = {},
): Pod {
  const requests: Record<string, string> = {}
  if (opts.cpu) requests.cpu = opts.cpu
  if (opts.memory) requests.memory = opts.memory
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: opts.uid ?? `uid-${name}`,
      ownerReferences: opts.owner
        ? [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'set', uid: opts.owner, controller: true }]
        : undefined,
    },
    spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests } }], ...opts.spec },
  }
}
