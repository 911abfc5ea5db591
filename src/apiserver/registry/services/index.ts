/**
 * Service strategy (upstream pkg/registry/core/service): defaults, validation, the status
 * subresource, ClusterIP / NodePort allocation at admission, field selectors and the
 * Name·Type·Cluster-IP·External-IP·Port(s)·Age·Selector printer. Allocation reads live
 * Services through the admission context; everything else is pure.
 */
import { ClusterIPNone, type Service } from '../../../api/core.js'
import { type FieldError, invalidValue, Path } from '../../../machinery/field-error.js'
import { internalError, invalid } from '../../../machinery/status-error.js'
import { nameIsDNS1035Label } from '../../../machinery/validation/names.js'
import type { AdmissionContext, ResourceStrategy } from '../resource.js'
import { goStrings, shown } from './format.js'
import { AllocationError, allocateClusterIP, allocateNodePorts, nodePortsOf } from './network.js'
import { defaultService, initIPFamilyFields, normalizeClusterIPs, prepareServiceUpdate } from './prepare.js'
import { printer } from './printer.js'
import { validateServiceStatus } from './status.js'
import { needsHealthCheck, validateService, validateServiceUpdate } from './validation.js'

export {
  configureServiceNetwork,
  reservedKubernetesServiceIP,
  type ServiceNetworkOptions,
} from './network.js'

const kind = { group: '', kind: 'Service' }
const reject = (s: Service, errs: FieldError[]) => invalid(kind, s.metadata.name ?? '', errs)

/** Allocates clusterIPs[0] (and mirrors clusterIP) unless the service is headless or ExternalName. */
async function allocClusterIPs(s: Service, ctx: AdmissionContext): Promise<void> {
  const sp = s.spec!
  if (sp.type === 'ExternalName' || sp.clusterIPs?.[0] === ClusterIPNone) return
  const requested = sp.clusterIPs?.[0] ?? ''
  try {
    const ip = await allocateClusterIP(ctx, requested, s)
    sp.clusterIPs = [ip, ...(sp.clusterIPs ?? []).slice(1)]
    sp.clusterIP = ip
  } catch (e) {
    if (!(e instanceof AllocationError)) throw e
    if (!e.requested) throw internalError(`failed to allocate a serviceIP: ${e.message}`)
    const path = Path.root('spec').child('clusterIPs')
    throw reject(s, [
      shown('FieldValueInvalid', path, goStrings(sp.clusterIPs), `failed to allocate IP ${requested}: ${e.message}`),
    ])
  }
}

/** Whether node ports are allocated for ports that name none. */
const shouldAllocateNodePorts = (s: Service) =>
  s.spec?.type === 'NodePort' || (s.spec?.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false)

/**
 * Node ports for NodePort/LoadBalancer services: requested ones are reserved, missing ones
 * allocated; ports sharing a number (TCP and UDP 53) share a node port. `held` are ports the
 * service already owns (updates), which need no new reservation.
 */
async function allocNodePorts(s: Service, ctx: AdmissionContext, held: number[]): Promise<void> {
  const sp = s.spec!
  const ports = sp.ports ?? []
  if (sp.type !== 'NodePort' && sp.type !== 'LoadBalancer') return
  const byPort = new Map<number, number>()
  for (const p of ports) if (p.nodePort && !byPort.has(p.port)) byPort.set(p.port, p.nodePort)
  const want: { index: number; port: number }[] = []
  const requests: number[] = []
  const pendingPorts = new Set<number>()
  ports.forEach((p, index) => {
    if (!p.nodePort) {
      if (!shouldAllocateNodePorts(s)) return
      const shared = byPort.get(p.port)
      if (shared) {
        p.nodePort = shared
        return
      }
      // A second entry with the same port number (TCP and UDP 53) gets the same node port below.
      if (pendingPorts.has(p.port)) return
      pendingPorts.add(p.port)
    }
    if (p.nodePort && (held.includes(p.nodePort) || requests.includes(p.nodePort))) return
    want.push({ index, port: p.nodePort ?? 0 })
    requests.push(p.nodePort ?? 0)
  })
  if (needsHealthCheck(s) && !(sp.healthCheckNodePort && held.includes(sp.healthCheckNodePort)))
    requests.push(sp.healthCheckNodePort ?? 0)
  if (requests.length === 0) return
  let got: number[]
  try {
    got = await allocateNodePorts(ctx, requests, s)
  } catch (e) {
    throw nodePortError(s, want, requests, e)
  }
  want.forEach((w, i) => {
    const p = ports[w.index]!
    p.nodePort = got[i]!
    if (!byPort.has(p.port)) byPort.set(p.port, p.nodePort)
  })
  for (const p of ports) if (!p.nodePort && shouldAllocateNodePorts(s)) p.nodePort = byPort.get(p.port)
  if (got.length > want.length) sp.healthCheckNodePort = got[want.length]
}

/** Upstream's error for a failed node-port request: 422 for a named port, 500 otherwise. */
function nodePortError(s: Service, want: { index: number; port: number }[], requests: number[], e: unknown): unknown {
  if (!(e instanceof AllocationError)) return e
  const w = want[e.index]
  if (!w) {
    // The health-check port (always the last request).
    const hc = requests[e.index] ?? 0
    return internalError(
      hc
        ? `failed to allocate requested HealthCheck NodePort ${hc}: ${e.message}`
        : `failed to allocate a HealthCheck NodePort 0: ${e.message}`,
    )
  }
  if (!e.requested) return internalError(`failed to allocate a nodePort: ${e.message}`)
  return reject(s, [invalidValue(Path.root('spec').child('ports').index(w.index).child('nodePort'), w.port, e.message)])
}

/** The Service strategy. */
export const strategy: ResourceStrategy<Service> = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  statusSubresource: true,
  allowCreateOnUpdate: true,
  validateName: name => nameIsDNS1035Label(name, false),
  defaults: defaultService,
  prepareForCreate(s) {
    s.spec ??= {}
    s.status = { loadBalancer: {} }
    normalizeClusterIPs(s)
  },
  prepareForUpdate: prepareServiceUpdate,
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  validateStatusUpdate: validateServiceStatus,

  async admitCreate(s, ctx) {
    const errs = initIPFamilyFields(s)
    if (errs.length) throw reject(s, errs)
    await allocClusterIPs(s, ctx)
    await allocNodePorts(s, ctx, [])
  },

  async admitUpdate(s, old, ctx) {
    const errs = initIPFamilyFields(s, old)
    if (errs.length) throw reject(s, errs)
    if (old.spec?.type === 'ExternalName' && s.spec?.type !== 'ExternalName') await allocClusterIPs(s, ctx)
    await allocNodePorts(s, ctx, nodePortsOf(old))
  },

  fieldLabels: s => ({ 'spec.clusterIP': s.spec?.clusterIP ?? '', 'spec.type': s.spec?.type ?? '' }),
  printer,
}
