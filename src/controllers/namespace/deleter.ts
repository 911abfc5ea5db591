/**
 * Deletes everything in a namespace (upstream namespaced_resources_deleter.go's deleteAllContent):
 * discovers every namespaced resource that supports list and delete, deletes each collection
 * (or each object when deletecollection is not served), then lists what remains and tallies it
 * for the status conditions. Never throws: failures are reported, so one broken resource does not
 * hide the rest.
 */
import type { KObject } from '../../api/meta.js'
import { type DiscoveredResource, type DiscoveryResult, discoverResources, supports } from '../../client/discovery.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { KNOWN_RESOURCES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isNotFound, reasonOf } from '../../machinery/status-error.js'
import { type DeletionReport, emptyReport } from './conditions.js'

/** Removes a namespace's content. */
export interface ContentDeleter {
  /** Deletes what it can and reports what failed and what remains. Never rejects. */
  deleteAllContent(namespace: string, signal?: AbortSignal): Promise<DeletionReport>
}

/** Options of RestContentDeleter. */
export interface RestContentDeleterOptions {
  client: RestClient
  /**
   * Pods already marked for deletion are deleted again with gracePeriodSeconds=0. Default true:
   * without a node agent nobody would ever confirm their termination, so they would stay forever.
   * Turn it off once a node agent finishes graceful deletions.
   */
  forceDeleteTerminatingPods?: boolean
  /** Resources to clear; defaults to discovery. */
  discover?: () => Promise<DiscoveryResult>
  /** Resources processed at once. Default 8. */
  concurrency?: number
  log?: Logger
}

/** ContentDeleter over the REST client. */
export class RestContentDeleter implements ContentDeleter {
  private readonly log: Logger

  constructor(private readonly opts: RestContentDeleterOptions) {
    this.log = (opts.log ?? silentLogger).child({ component: 'namespace-content-deleter' })
  }

  async deleteAllContent(namespace: string, signal?: AbortSignal): Promise<DeletionReport> {
    const report = emptyReport()
    const resources = await this.namespacedResources(report, signal)
    const queue = [...resources]
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) await this.clearResource(namespace, r, report, signal)
    }
    await Promise.all(Array.from({ length: this.opts.concurrency ?? 8 }, worker))
    return report
  }

  /** Namespaced resources supporting list and delete; the known table when discovery fails. */
  private async namespacedResources(report: DeletionReport, signal?: AbortSignal): Promise<DiscoveredResource[]> {
    let found: DiscoveredResource[]
    try {
      const d = await (this.opts.discover ?? (() => discoverResources(this.opts.client, { signal })))()
      for (const f of d.failedGroupVersions) report.discoveryFailures.push(`${f.groupVersion}: ${errorText(f.error)}`)
      found = d.resources
    } catch (err) {
      report.discoveryFailures.push(errorText(err))
      found = KNOWN_RESOURCES.map(r => ({ ...r, verbs: ['list', 'delete', 'deletecollection'] }))
    }
    return found.filter(r => r.namespaced && supports(r, 'list', 'delete'))
  }

  /** Deletes one resource's objects in namespace and records what remains. */
  private async clearResource(
    namespace: string,
    r: DiscoveredResource,
    report: DeletionReport,
    signal?: AbortSignal,
  ): Promise<void> {
    const gr = `${r.resource}.${r.group}`
    try {
      if (supports(r, 'deletecollection')) {
        await this.opts.client.deleteCollection(r, { namespace, propagationPolicy: 'Background', signal })
      } else {
        for (const obj of await this.listAll(r, namespace, signal)) await this.deleteOne(r, obj, {}, signal)
      }
      let left = await this.listAll(r, namespace, signal)
      const terminatingPods = isPods(r) ? left.filter(o => o.metadata.deletionTimestamp) : []
      if (terminatingPods.length && (this.opts.forceDeleteTerminatingPods ?? true)) {
        this.log.debug({ namespace, pods: terminatingPods.length }, 'Force-deleting terminating pods')
        for (const pod of terminatingPods) await this.deleteOne(r, pod, { gracePeriodSeconds: 0 }, signal)
        left = await this.listAll(r, namespace, signal)
      }
      if (!left.length) return
      report.remaining.set(gr, left.length)
      for (const obj of left) {
        for (const f of obj.metadata.finalizers ?? []) {
          report.finalizersRemaining.set(f, (report.finalizersRemaining.get(f) ?? 0) + 1)
        }
      }
    } catch (err) {
      this.log.debug({ err, namespace, resource: gr }, 'Deleting namespace content failed')
      report.deleteFailures.push(`${gr}: ${errorText(err)}`)
    }
  }

  private async deleteOne(
    r: DiscoveredResource,
    obj: KObject,
    extra: { gracePeriodSeconds?: number },
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      await this.opts.client.delete(r, obj.metadata.name!, {
        namespace: obj.metadata.namespace,
        propagationPolicy: 'Background',
        preconditions: { uid: obj.metadata.uid },
        ...extra,
        signal,
      })
    } catch (err) {
      if (!isNotFound(err) && reasonOf(err) !== 'Conflict') throw err
    }
  }

  private async listAll(r: DiscoveredResource, namespace: string, signal?: AbortSignal): Promise<KObject[]> {
    const items: KObject[] = []
    let cont: string | undefined
    do {
      const page = await this.opts.client.list(r, { namespace, limit: 500, continue: cont, signal })
      items.push(...page.items)
      cont = page.metadata.continue || undefined
    } while (cont)
    return items
  }
}

function isPods(r: DiscoveredResource): boolean {
  return r.group === '' && r.resource === 'pods'
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
