/**
 * The agent-wide services pods share (NodeServices): watched ConfigMaps and Secrets, a Services
 * informer for service-link env vars, service-account tokens, the image check, and — when the
 * agent has a data directory — the VolumeHost that plugins read objects and tokens through.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, Service } from '../api/core.js'
import type { Pod } from '../api/pod.js'
import type { Clock } from '../client/clock.js'
import { Informer, type InformerOptions } from '../client/informer.js'
import type { Logger } from '../client/log.js'
import { CONFIG_MAPS, PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, SECRETS, SERVICES } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import { ignoreNotFound } from '../client/retry.js'
import { type ClusterDNS, parseResolvConf } from './dns-config.js'
import { ImagePuller } from './image-puller.js'
import { ReferencedObjects } from './object-cache.js'
import type { NodeServices, WatchedObjects } from './pod-setup.js'
import type { ContainerConfig, DNSConfig } from './runtime/runtime.js'
import { TokenManager } from './token-manager.js'
import { type Mounter, systemMounter } from './volumes/mount.js'
import type { VolumeHost } from './volumes/volume.js'

/** Options of createNodeServices. */
export interface NodeServicesOptions {
  client: RestClient
  clock: Clock
  log: Logger
  signal: AbortSignal
  /** `<data-dir>/nodes/<node>`: pods live under `pods/<uid>`. Without it volumes are not materialised. */
  nodeDir?: string
  mounter?: Mounter
  dns?: ClusterDNS
  /** Default /etc/resolv.conf. */
  resolvConf?: string
  allocatable(): Record<string, string>
  hostIPs(): string[]
  /** A watched ConfigMap or Secret changed: the pods (uids) that use it. */
  onObjectChange(uids: string[]): void
  onConfig?(pod: Pod, config: ContainerConfig): void
  informerOptions?: Pick<InformerOptions<Service>, 'backoff' | 'freeze'>
}

/** The services plus what the agent must run and close. */
export interface StartedNodeServices {
  services: NodeServices
  /** The Services informer (run it; wait for its sync before pods start for complete env vars). */
  serviceInformer: Informer<Service>
}

/** Builds the node's shared services. */
export function createNodeServices(opts: NodeServicesOptions): StartedNodeServices {
  const { client, clock, log, signal } = opts
  const common = { client, clock, log, signal, informerOptions: opts.informerOptions }
  const changed = (objects: () => ReferencedObjects<ConfigMap | Secret>) => (ns: string, name: string) =>
    opts.onObjectChange(objects().podsOf(ns, name))
  const configMaps: ReferencedObjects<ConfigMap> = new ReferencedObjects<ConfigMap>({
    ...common,
    ref: CONFIG_MAPS,
    onChange: changed(() => configMaps),
  })
  const secrets: ReferencedObjects<Secret> = new ReferencedObjects<Secret>({
    ...common,
    ref: SECRETS,
    onChange: changed(() => secrets),
  })
  const objects: WatchedObjects = {
    getConfigMap: (ns, name) => configMaps.get(ns, name),
    getSecret: (ns, name) => secrets.get(ns, name),
    register(uid, ns, refs) {
      configMaps.register(uid, ns, refs.configMaps)
      secrets.register(uid, ns, refs.secrets)
    },
    unregister(uid) {
      configMaps.unregister(uid)
      secrets.unregister(uid)
    },
  }
  const serviceInformer = new Informer<Service>(client, SERVICES, { clock, log, ...opts.informerOptions })
  const tokens = new TokenManager(client, clock)
  const host: VolumeHost = {
    getConfigMap: objects.getConfigMap,
    getSecret: objects.getSecret,
    getPersistentVolumeClaim: (ns, name) =>
      ignoreNotFound(client.get<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, name, { namespace: ns })),
    getPersistentVolume: name => ignoreNotFound(client.get<PersistentVolume>(PERSISTENT_VOLUMES, name)),
    requestServiceAccountToken: req =>
      tokens.get(req).catch((err: Error) => {
        throw new Error(`failed to fetch token: ${err.message}`)
      }),
    nodeAllocatable: opts.allocatable,
    mounter: opts.mounter ?? systemMounter,
    now: () => clock.now(),
  }
  let hostResolv: DNSConfig | undefined
  try {
    hostResolv = parseResolvConf(readFileSync(opts.resolvConf ?? '/etc/resolv.conf', 'utf8'))
  } catch {
    hostResolv = undefined
  }
  const services: NodeServices = {
    images: new ImagePuller(clock),
    objects,
    services(ns) {
      return serviceInformer.lister.list({
        filter: s =>
          s.metadata.namespace === ns || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'),
      })
    },
    hostIPs: opts.hostIPs,
    allocatable: opts.allocatable,
    clock,
    log,
    dns: opts.dns ?? {},
    hostResolv,
    forgetPod: uid => tokens.forget(uid),
    onConfig: opts.onConfig,
  }
  if (opts.nodeDir) services.volumes = { podsDir: join(opts.nodeDir, 'pods'), host }
  return { services, serviceInformer }
}
