/**
 * Sets of EndpointSlice endpoints keyed by identity (upstream k8s.io/endpointslice/util
 * endpointset.go): an endpoint is identified by its addresses, hostname and target, so that a
 * change of conditions, node or zone updates it in place rather than replacing it. Also the
 * port-set key that groups slices. Pure.
 * NOTE: imported by controllers/endpointslice-mirroring too; it belongs in controllers/runtime
 * or machinery once the lead moves it.
 */
import type { ObjectReference } from '../../../api/core.js'
import type { Endpoint, EndpointPort } from '../../../api/discovery.js'
import { deepEqual } from '../../../machinery/objects.js'

/** hashEndpoint: the identity of an endpoint (sorted addresses, hostname, target namespace/name). */
export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([
    [...ep.addresses].sort(),
    ep.hostname ?? '',
    ep.targetRef?.namespace ?? '',
    ep.targetRef?.name ?? '',
  ])
}

/** A set of endpoints by identity, in insertion order (upstream's is a map: any order will do). */
export class EndpointSet {
  private readonly byKey = new Map<string, Endpoint>()

  /** Adds (or replaces) endpoints with the same identity. */
  insert(...eps: Endpoint[]): this {
    for (const ep of eps) this.byKey.set(endpointKey(ep), ep)
    return this
  }

  /** The member with ep's identity, if any. */
  get(ep: Endpoint): Endpoint | undefined {
    return this.byKey.get(endpointKey(ep))
  }

  /** Removes the member with ep's identity. */
  delete(ep: Endpoint): void {
    this.byKey.delete(endpointKey(ep))
  }

  /** Removes and returns one member (the oldest). */
  popAny(): Endpoint | undefined {
    const first = this.byKey.entries().next()
    if (first.done) return undefined
    this.byKey.delete(first.value[0])
    return first.value[1]
  }

  get size(): number {
    return this.byKey.size
  }
}

/**
 * EndpointsEqualBeyondHash: equal in everything the identity does not cover — node, zone,
 * conditions, and the target reference ignoring its resourceVersion.
 */
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  if ((a.nodeName ?? null) !== (b.nodeName ?? null)) return false
  if ((a.zone ?? null) !== (b.zone ?? null)) return false
  const ac = a.conditions ?? {}
  const bc = b.conditions ?? {}
  if ((ac.ready ?? null) !== (bc.ready ?? null)) return false
  if ((ac.serving ?? null) !== (bc.serving ?? null)) return false
  if ((ac.terminating ?? null) !== (bc.terminating ?? null)) return false
  return deepEqual(withoutVersion(a.targetRef), withoutVersion(b.targetRef))
}

function withoutVersion(ref: ObjectReference | undefined): ObjectReference | undefined {
  return ref ? { ...ref, resourceVersion: undefined } : undefined
}

/**
 * NewPortMapKey: one key per distinct set of ports, whatever their order; an absent list equals
 * an empty one, and the server's defaults (name "", protocol TCP) equal their absence.
 */
export function portMapKey(ports: readonly EndpointPort[] | undefined): string {
  const one = (p: EndpointPort) =>
    JSON.stringify([p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? null])
  return JSON.stringify((ports ?? []).map(one).sort())
}
