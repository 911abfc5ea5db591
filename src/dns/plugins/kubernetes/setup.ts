/**
 * Wires informers into a RecordIndex (CoreDNS's controller.go + setup.go): Services, Endpoints,
 * Pods and Namespaces, each event applied to the index at once, so answers follow the API
 * within one watch event. The informers belong to the given factory; whoever owns the factory
 * starts it. Cached objects are read, never kept: the index holds lean copies.
 */
import type { Endpoints, Namespace, Service } from '../../../api/core.js'
import type { KObject } from '../../../api/meta.js'
import type { Pod } from '../../../api/pod.js'
import { type Clock, realClock } from '../../../client/clock.js'
import type { EventHandler, Informer } from '../../../client/informer.js'
import type { InformerFactory } from '../../../client/informer-factory.js'
import { ENDPOINTS, NAMESPACES, PODS, SERVICES } from '../../../client/resources.js'
import { type KubernetesOptions, KubernetesPlugin } from './kubernetes.js'
import { toLeanEndpoints, toLeanNamespace, toLeanPod, toLeanService } from './object.js'
import { RecordIndex } from './record-index.js'

/** What setupKubernetes returns. */
export interface KubernetesSetup {
  plugin: KubernetesPlugin
  index: RecordIndex
  /** True once every informer has listed once. */
  hasSynced(): boolean
  /** Detaches the event handlers from the informers. */
  stop(): void
}

/** Builds the index from informers of factory and the plugin answering from it. */
export function setupKubernetes(
  informers: InformerFactory,
  opts: KubernetesOptions & { clock?: Pick<Clock, 'now'> },
): KubernetesSetup {
  const clock = opts.clock ?? realClock
  const index = new RecordIndex({ now: () => clock.now() })
  const meta = (o: KObject) => ({
    namespace: (o.metadata.namespace ?? '').toLowerCase(),
    name: (o.metadata.name ?? '').toLowerCase(),
  })
  const sources: [Informer<any>, EventHandler<any>][] = [
    [
      informers.forResource<Service>(SERVICES),
      handlerOf<Service>(
        s => index.putService(toLeanService(s)),
        s => index.deleteService(meta(s).namespace, meta(s).name),
      ),
    ],
    [
      informers.forResource<Endpoints>(ENDPOINTS),
      handlerOf<Endpoints>(
        e => index.putEndpoints(toLeanEndpoints(e)),
        e => index.deleteEndpoints(meta(e).namespace, meta(e).name),
      ),
    ],
    [
      informers.forResource<Pod>(PODS),
      handlerOf<Pod>(
        p => index.putPod(toLeanPod(p)),
        p => index.deletePod(meta(p).namespace, meta(p).name),
      ),
    ],
    [
      informers.forResource<Namespace>(NAMESPACES),
      handlerOf<Namespace>(
        n => index.putNamespace(toLeanNamespace(n)),
        n => index.deleteNamespace(toLeanNamespace(n)),
      ),
    ],
  ]
  const registrations = sources.map(([informer, handler]) => informer.addEventHandler(handler))
  const hasSynced = () => sources.every(([informer]) => informer.hasSynced())
  index.setSynced(hasSynced)
  return {
    plugin: new KubernetesPlugin(index, opts),
    index,
    hasSynced,
    stop: () => {
      for (const r of registrations) r.remove()
    },
  }
}

/** An informer handler that upserts on add/update and deletes on delete. */
function handlerOf<T>(put: (obj: T) => void, del: (obj: T) => void): EventHandler<T> {
  return { onAdd: put, onUpdate: (_old, obj) => put(obj), onDelete: del }
}
