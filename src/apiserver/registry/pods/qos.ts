/**
 * Pod QoS class (qos.ComputePodQOS, without pod-level resources): BestEffort when no container
 * asks for cpu or memory, Guaranteed when every container limits both and requests equal limits,
 * Burstable otherwise. Computed once, at create. Pure: no I/O.
 */
import type { Pod, PodQOSClass, ResourceList } from '../../../api/pod.js'
import { compareQuantities, parseQuantity, type Quantity } from '../../../machinery/quantity.js'

const qosResources = ['cpu', 'memory']

/** An exact sum as unscaled × 10^scale, shaped so compareQuantities accepts it. */
function sum(a: Quantity | undefined, b: Quantity): Quantity {
  if (!a) return b
  const scale = Math.min(a.scale, b.scale)
  const unscaled = a.unscaled * 10n ** BigInt(a.scale - scale) + b.unscaled * 10n ** BigInt(b.scale - scale)
  return {
    unscaled,
    scale,
    format: 'DecimalSI',
    value: Number(`${unscaled}e${scale}`),
    toString: () => `${unscaled}e${scale}`,
  }
}

/** Adds the positive cpu/memory quantities of `list` into `into`; returns the names found. */
function accumulate(list: ResourceList | undefined, into: Map<string, Quantity>): Set<string> {
  const found = new Set<string>()
  for (const name of qosResources) {
    const raw = list?.[name]
    if (raw === undefined) continue
    let q: Quantity
    try {
      q = parseQuantity(raw)
    } catch {
      continue // validation reports it
    }
    if (compareQuantities(q, 0) <= 0) continue
    found.add(name)
    into.set(name, sum(into.get(name), q))
  }
  return found
}

/** ComputePodQOS over regular and init containers. */
export function computePodQOS(pod: Pod): PodQOSClass {
  const requests = new Map<string, Quantity>()
  const limits = new Map<string, Quantity>()
  let guaranteed = true
  for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
    accumulate(c.resources?.requests, requests)
    const found = accumulate(c.resources?.limits, limits)
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed)
    for (const [name, req] of requests) {
      const lim = limits.get(name)
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false
        break
      }
    }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}
