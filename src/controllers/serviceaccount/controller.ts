/**
 * The service-account controller: every active namespace has a `default` ServiceAccount
 * (kube-controller-manager's serviceaccount-controller). Recreates it when deleted.
 */
import type { KObject } from '../../api/meta.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { NAMESPACES, SERVICE_ACCOUNTS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isAlreadyExists, isForbidden } from '../../machinery/status-error.js'
import { Controller } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done } from '../runtime/result.js'

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
}

export class ServiceAccountController implements Runnable {
  readonly name = 'serviceaccount'
  private readonly controller: Controller

  constructor(opts: ServiceAccountControllerOptions) {
    const namespaces = opts.informers.forResource(NAMESPACES)
    const accounts = opts.informers.forResource(SERVICE_ACCOUNTS)
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
        return done
      },
    })
    this.controller.for(namespaces)
    this.controller.watches(accounts, sa => (sa.metadata.namespace ? [sa.metadata.namespace] : []))
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }
}
