/**
 * The registry: one ResourceStore per served resource, looked up by group/version/resource,
 * plus the cross-resource admission the generic layer needs (namespace lifecycle, listing
 * for allocations).
 */
import type { KObject } from '../../api/meta.js'
import { forbidden, isNotFound, notFound } from '../../machinery/status-error.js'
import type { Store } from '../../storage/store.js'
import { type AdmissionReader, runAdmission } from '../admission/admission.js'
import { admissionChain } from '../admission/chain.js'
import { ResourceStore } from './generic/resource-store.js'
import type { AdmissionContext, ResourceStrategy } from './resource.js'

export class Registry {
  readonly stores: ResourceStore[]
  private readonly byPath = new Map<string, ResourceStore>()

  constructor(
    readonly strategies: ResourceStrategy[],
    store: Store,
    now: () => number,
  ) {
    const admission: AdmissionContext = {
      list: async (resource, namespace) => (await this.core(resource).list(namespace)).items,
    }
    const reader: AdmissionReader = {
      get: async (resource, namespace, name) => {
        try {
          return await this.core(resource).get(namespace, name)
        } catch (e) {
          if (isNotFound(e)) return undefined
          throw e
        }
      },
      list: async (resource, namespace) => (await this.byResource(resource).list(namespace)).items,
    }
    this.stores = strategies.map(
      s =>
        new ResourceStore(s, {
          store,
          now,
          admission,
          admitNamespace: (ns, res) => this.admitNamespace(ns, res),
          admitCreate: (res, obj) =>
            s.group === '' || s.group === 'storage.k8s.io'
              ? runAdmission(admissionChain, res, obj, reader)
              : Promise.resolve(),
        }),
    )
    for (const rs of this.stores)
      this.byPath.set(`${rs.strategy.group}/${rs.strategy.version}/${rs.strategy.resource}`, rs)
  }

  /** The store serving group/version/resource, if any. */
  find(group: string, version: string, resource: string): ResourceStore | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`)
  }

  /** The store of a resource by plural name in the core or storage.k8s.io group. */
  byResource(resource: string): ResourceStore {
    const rs = this.find('', 'v1', resource) ?? this.find('storage.k8s.io', 'v1', resource)
    if (!rs) throw new Error(`resource ${resource} is not registered`)
    return rs
  }

  /** A resource of the core group (v1), which must exist. */
  core(resource: string): ResourceStore {
    const rs = this.find('', 'v1', resource)
    if (!rs) throw new Error(`core resource ${resource} is not registered`)
    return rs
  }

  /** NamespaceLifecycle: the namespace must exist and not be terminating. */
  private async admitNamespace(namespace: string, resource: string): Promise<void> {
    let ns: KObject
    try {
      ns = await this.core('namespaces').get(undefined, namespace)
    } catch (e) {
      if (isNotFound(e)) throw notFound({ group: '', resource: 'namespaces' }, namespace)
      throw e
    }
    if (ns.metadata.deletionTimestamp && resource !== 'events') {
      const err = forbidden(
        { group: '', resource },
        '',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      )
      err.status.message = `${resource} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`
      err.status.details = {
        ...err.status.details,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      }
      throw err
    }
  }
}
