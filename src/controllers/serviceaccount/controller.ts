/**
 * The service-account controller: every active namespace has a `default` ServiceAccount
 * (kube-controller-manager's serviceaccount-controller) and the `kube-root-ca.crt` ConfigMap
 * holding the cluster CA (the root-ca-cert-publisher). Recreates them when deleted.
 */
import type { KObject } from '../../api/meta.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { CONFIG_MAPS, NAMESPACES, SERVICE_ACCOUNTS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isAlreadyExists, isForbidden } from '../../machinery/status-error.js'
import { Controller } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done } from '../runtime/result.js'

const rootCADescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.'

/** Names of the ServiceAccounts every namespace gets. */
export const defaultServiceAccounts = ['default']

/** Whether a namespace should get default accounts: it exists and is not terminating. */
export function wantsServiceAccounts(ns: KObject | undefined): boolean {
  if (!ns || ns.metadata.deletionTimestamp) return false
  return (ns.status as { phase?: string } | undefined)?.phase !== 'Terminating'
}

export interface ServiceAccountControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  /** PEM of the cluster CA, published as kube-root-ca.crt in every namespace. */
  caCert?: string
}

/** Name of the per-namespace CA bundle ConfigMap. */
export const rootCAConfigMap = 'kube-root-ca.crt'

export class ServiceAccountController implements Runnable {
  readonly name = 'serviceaccount'
  private readonly controller: Controller

  constructor(opts: ServiceAccountControllerOptions) {
    const namespaces = opts.informers.forResource(NAMESPACES)
    const accounts = opts.informers.forResource(SERVICE_ACCOUNTS)
    const configMaps = opts.informers.forResource(CONFIG_MAPS, { fieldSelector: `metadata.name=${rootCAConfigMap}` })
    this.controller = new Controller({
      name: 'serviceaccount',
      log: opts.log ?? silentLogger,
      reconcile: async key => {
        const ns = namespaces.lister.get(key)
        if (!wantsServiceAccounts(ns)) return done
        for (const name of defaultServiceAccounts) {
          if (accounts.lister.get({ namespace: key, name })) continue
          try {
            await opts.client.create(SERVICE_ACCOUNTS, { metadata: { name } }, { namespace: key })
          } catch (e) {
            // Exists already (cache lag), or the namespace began terminating meanwhile.
            if (!isAlreadyExists(e) && !isForbidden(e)) throw e
          }
        }
        if (opts.caCert)
          await this.publishCA(
            opts.client,
            configMaps.lister.get({ namespace: key, name: rootCAConfigMap }),
            key,
            opts.caCert,
          )
        return done
      },
    })
    this.controller.for(namespaces)
    const byNamespace = (o: KObject) => (o.metadata.namespace ? [o.metadata.namespace] : [])
    this.controller.watches(accounts, byNamespace)
    if (opts.caCert) this.controller.watches(configMaps, byNamespace)
    else this.controller.waitsFor(configMaps)
  }

  /** Creates or repairs the CA ConfigMap of one namespace. */
  private async publishCA(client: RestClient, current: KObject | undefined, namespace: string, ca: string) {
    const data = { 'ca.crt': ca }
    const metadata = { name: rootCAConfigMap, annotations: { 'kubernetes.io/description': rootCADescription } }
    try {
      if (!current) await client.create(CONFIG_MAPS, { metadata, data }, { namespace })
      else if ((current.data as Record<string, string> | undefined)?.['ca.crt'] !== ca)
        await client.update(CONFIG_MAPS, { ...structuredClone(current), data }, { namespace })
    } catch (e) {
      if (!isAlreadyExists(e) && !isForbidden(e)) throw e
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }
}
