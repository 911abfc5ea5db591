/**
 * Which controllers the all-in-one runs, in one list, sharing one informer factory. Each
 * reaches the API only through the client.
 */
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { RestClient } from '../client/rest-client.js'
import { DeploymentController } from '../controllers/deployment/controller.js'
import { EndpointsController } from '../controllers/endpoints/controller.js'
import { EndpointSliceController } from '../controllers/endpointslice/controller.js'
import { ApiServerEndpointSliceController } from '../controllers/endpointslice-mirroring/apiserver-slice.js'
import { EndpointSliceMirroringController } from '../controllers/endpointslice-mirroring/controller.js'
import { GarbageCollector } from '../controllers/garbage-collector/collector.js'
import { NamespaceController } from '../controllers/namespace/controller.js'
import { NodeIpamController } from '../controllers/nodeipam/controller.js'
import { LocalPathProvisioner } from '../controllers/provisioner/controller.js'
import { PersistentVolumeBinder } from '../controllers/pv-binder/controller.js'
import { PvProtectionController } from '../controllers/pv-protection/pv-protection.js'
import { PvcProtectionController } from '../controllers/pv-protection/pvc-protection.js'
import { ReplicaSetController } from '../controllers/replicaset/controller.js'
import { Manager } from '../controllers/runtime/manager.js'
import { Scheduler } from '../controllers/scheduler/scheduler.js'
import { ServiceAccountController } from '../controllers/serviceaccount/controller.js'
import { StatefulSetController } from '../controllers/statefulset/controller.js'

export interface ControllerOptions {
  logger: Logger
  signal: AbortSignal
  /** PEM of the cluster CA (published to every namespace). */
  caCert?: string
  /** The data directory: dynamically provisioned volumes live in <dataDir>/volumes. */
  dataDir: string
  /** Pod network range, one /24 per node (default 10.244.0.0/16). */
  clusterCIDR?: string
}

/** Starts every controller; resolves when they have all stopped (after the signal aborts). */
export function startControllers(client: RestClient, opts: ControllerOptions): Promise<void> {
  const log = opts.logger.child({ component: 'controller-manager' })
  const manager = new Manager({ client, log })
  const informers = manager.informers
  manager.add(new GarbageCollector({ client, informers, log }))
  manager.add(new NodeIpamController({ client, informers, log, clusterCIDR: opts.clusterCIDR }))
  manager.add(new Scheduler({ client, informers, log }))
  manager.add(new NamespaceController({ client, informers, log }))
  manager.add(new ServiceAccountController({ client, informers, log, caCert: opts.caCert }))
  const volumesDir = join(opts.dataDir, 'volumes')
  manager.add(new PersistentVolumeBinder({ client, informers, log, volumesDir }))
  manager.add(new LocalPathProvisioner({ client, informers, log, volumesDir }))
  manager.add(new PvcProtectionController({ client, informers, log }))
  manager.add(new PvProtectionController({ client, informers, log }))
  manager.add(new StatefulSetController({ client, informers, log }))
  manager.add(new ReplicaSetController({ client, informers, log }))
  manager.add(new DeploymentController({ client, informers, log }))
  manager.add(new EndpointsController({ client, informers, log }))
  manager.add(new EndpointSliceController({ client, informers, log }))
  manager.add(new EndpointSliceMirroringController({ client, informers, log }))
  manager.add(new ApiServerEndpointSliceController({ client, informers, log }))
  return manager.start(opts.signal)
}
