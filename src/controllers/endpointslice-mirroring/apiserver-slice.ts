/**
 * The `default/kubernetes` EndpointSlice. Upstream the apiserver writes it itself, beside the
 * `kubernetes` Endpoints (pkg/controlplane/reconcilers/endpointsadapter.go): a slice named
 * `kubernetes`, labelled only `kubernetes.io/service-name: kubernetes` (no managed-by, no
 * owner), one ready endpoint per apiserver IP, the Endpoints' ports. The mirroring controller
 * skips that Endpoints (skip-mirror). petset's apiserver writes only the Endpoints, so this small
 * controller derives the slice from it in exactly the adapter's shape.
 * NOTE: it belongs in the apiserver's bootstrap; drop it once the server writes the slice.
 */
import type { Endpoints } from '../../api/core.js'
import { type AddressType, type EndpointSlice, LabelServiceName } from '../../api/discovery.js'
import type { Clock } from '../../client/clock.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { ENDPOINT_SLICES, ENDPOINTS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { deepEqual } from '../../machinery/objects.js'
import { Controller } from '../runtime/controller.js'
import { RestSliceControl, type SliceControl } from '../runtime/endpointslices/slice-control.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result } from '../runtime/result.js'

const Namespace = 'default'
const Name = 'kubernetes'
const Key = `${Namespace}/${Name}`

/** What to write so the apiserver's slice matches its Endpoints. */
export interface ApiServerSlicePlan {
  create?: EndpointSlice
  update?: EndpointSlice
  delete: EndpointSlice[]
}

/**
 * EndpointsAdapter.Sync for the slices: the primary slice from the Endpoints' first subset, and
 * the deletion of any other slice labelled for the `kubernetes` service.
 */
export function planApiServerSlice(endpoints: Endpoints, slices: readonly EndpointSlice[]): ApiServerSlicePlan {
  const subset = endpoints.subsets?.[0]
  const ips = (subset?.addresses ?? []).map(a => a.ip).sort()
  const addressType: AddressType = ips[0]?.includes(':') ? 'IPv6' : 'IPv4'
  const current = slices.find(s => s.metadata.name === Name && s.addressType === addressType)
  const plan: ApiServerSlicePlan = { delete: slices.filter(s => s !== current) }
  const desired: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    ...(current ?? {}),
    metadata: { ...(current?.metadata ?? { name: Name, namespace: Namespace }), labels: { [LabelServiceName]: Name } },
    addressType,
    endpoints: ips
      .filter(ip => ip.includes(':') === (addressType === 'IPv6'))
      .map(ip => ({
        addresses: [ip],
        conditions: { ready: true },
      })),
    ports: (subset?.ports ?? []).map(p => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  }
  if (!current) plan.create = desired
  else if (
    !deepEqual(current.endpoints ?? [], desired.endpoints) ||
    !deepEqual(current.ports ?? [], desired.ports) ||
    !deepEqual(current.metadata.labels ?? {}, desired.metadata.labels)
  )
    plan.update = desired
  return plan
}

/** Options of the ApiServerEndpointSliceController. */
export interface ApiServerEndpointSliceControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Replaces the REST-backed writes (tests). */
  control?: SliceControl
}

/** Keeps `default/kubernetes` EndpointSlice in step with the apiserver's `kubernetes` Endpoints. */
export class ApiServerEndpointSliceController implements Runnable {
  readonly name = 'apiserver-endpointslice'
  private readonly controller: Controller
  private readonly endpoints: Informer<Endpoints>
  private readonly slices: Informer<EndpointSlice>
  private readonly control: SliceControl

  constructor(opts: ApiServerEndpointSliceControllerOptions) {
    this.endpoints = opts.informers.forResource<Endpoints>(ENDPOINTS)
    this.slices = opts.informers.forResource<EndpointSlice>(ENDPOINT_SLICES)
    this.control = opts.control ?? new RestSliceControl(opts.client)
    this.controller = new Controller({
      name: 'apiserver-endpointslice',
      workers: 1,
      clock: opts.clock,
      log: opts.log ?? silentLogger,
      reconcile: () => this.reconcile(),
    })
    this.controller.watches(this.endpoints, ep =>
      ep.metadata.namespace === Namespace && ep.metadata.name === Name ? [Key] : [],
    )
    this.controller.watches(this.slices, s =>
      s.metadata.namespace === Namespace && s.metadata.labels?.[LabelServiceName] === Name ? [Key] : [],
    )
  }

  /** Runs until signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }

  private async reconcile(): Promise<Result> {
    const endpoints = this.endpoints.lister.get(Key)
    // The adapter never deletes the slice on its own; without Endpoints there is nothing to copy.
    if (!endpoints) return done
    const slices = this.slices.lister.list({
      namespace: Namespace,
      filter: s => s.metadata.labels?.[LabelServiceName] === Name,
    })
    const plan = planApiServerSlice(endpoints, slices)
    for (const s of plan.delete) await this.control.delete(s)
    if (plan.create) await this.control.create(plan.create)
    if (plan.update) await this.control.update(plan.update)
    return done
  }
}
