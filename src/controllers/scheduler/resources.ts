/**
 * Resource requests of pods and capacity of nodes as the scheduler counts them (upstream
 * resource helpers PodRequests and the NodeResourcesFit plugin): cpu in millicores, memory and
 * ephemeral storage in bytes, and the scoring defaults for containers that request nothing. Pure.
 */
import type { Node, ResourceList } from '../../api/core.js'
import type { Container, Pod } from '../../api/pod.js'
import { quantityToBytes, quantityToMilli } from '../../machinery/quantity.js'

/** Amounts the scheduler tracks. */
export interface Resources {
  milliCPU: number
  memory: number
  ephemeralStorage: number
}

/** A zero amount. */
export const zeroResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0 })

/** Scoring defaults for a container without requests (upstream DefaultMilliCPURequest / DefaultMemoryRequest). */
export const nonZeroDefaults = { milliCPU: 100, memory: 200 * 1024 * 1024 }

const safe = (fn: () => number) => {
  try {
    return fn()
  } catch {
    return 0
  }
}

/** A ResourceList as Resources (unparsable quantities count as zero: the API validated them). */
export function fromList(list: ResourceList | undefined): Resources {
  return {
    milliCPU: list?.cpu ? safe(() => quantityToMilli(list.cpu!)) : 0,
    memory: list?.memory ? safe(() => quantityToBytes(list.memory!)) : 0,
    ephemeralStorage: list?.['ephemeral-storage'] ? safe(() => quantityToBytes(list['ephemeral-storage']!)) : 0,
  }
}

const add = (a: Resources, b: Resources): Resources => ({
  milliCPU: a.milliCPU + b.milliCPU,
  memory: a.memory + b.memory,
  ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage,
})
const max = (a: Resources, b: Resources): Resources => ({
  milliCPU: Math.max(a.milliCPU, b.milliCPU),
  memory: Math.max(a.memory, b.memory),
  ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage),
})

/**
 * PodRequests: the regular containers and sidecars together, or the largest init container step
 * (an init container runs next to the sidecars started before it) when that is larger.
 */
export function podRequests(
  pod: Pod,
  of: (c: Container) => Resources = c => fromList(c.resources?.requests),
): Resources {
  let reqs = zeroResources()
  for (const c of pod.spec.containers) reqs = add(reqs, of(c))
  let sidecars = zeroResources()
  let init = zeroResources()
  for (const c of pod.spec.initContainers ?? []) {
    let step: Resources
    if (c.restartPolicy === 'Always') {
      reqs = add(reqs, of(c))
      sidecars = add(sidecars, of(c))
      step = sidecars
    } else step = add(of(c), sidecars)
    init = max(init, step)
  }
  return max(reqs, init)
}

/** Requests with the scoring defaults filled in for containers that ask for no cpu or memory. */
export function nonZeroRequests(pod: Pod): Resources {
  return podRequests(pod, c => {
    const r = fromList(c.resources?.requests)
    return {
      milliCPU: c.resources?.requests?.cpu === undefined ? nonZeroDefaults.milliCPU : r.milliCPU,
      memory: c.resources?.requests?.memory === undefined ? nonZeroDefaults.memory : r.memory,
      ephemeralStorage: r.ephemeralStorage,
    }
  })
}

/** What a node offers: allocatable resources and its pod limit. */
export interface Allocatable extends Resources {
  pods: number
}

/** The node's allocatable (falling back to capacity, as the API server defaults it). */
export function nodeAllocatable(node: Node): Allocatable {
  const list = node.status?.allocatable ?? node.status?.capacity
  const pods = list?.pods ? safe(() => quantityToMilli(list.pods!) / 1000) : 0
  return { ...fromList(list), pods }
}
