/**
 * The generic registry for one resource (kube-apiserver's genericregistry.Store): create, read,
 * update, delete over the Store with Kubernetes semantics: system metadata, generation,
 * optimistic concurrency, spec/status split, finalizers, graceful deletion and propagation.
 * The only code that turns storage errors into StatusErrors. Knows nothing of HTTP.
 */
import type { DeleteOptions, GroupResource, KList, KObject } from '../../../api/meta.js'
import { type FieldError, invalidValue } from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import {
  alreadyExists,
  badRequest,
  conflict,
  internalError,
  invalid,
  notFound,
  resourceExpired,
  staleConflict,
} from '../../../machinery/status-error.js'
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../machinery/validation/object-meta.js'
import type { KeyValue, Store } from '../../../storage/store.js'
import { storeErrorCode } from '../../../storage/store.js'
import type { AdmissionContext, ResourceStrategy } from '../resource.js'
import { planDelete } from './delete-plan.js'
import { continueExpired, decodeContinue, encodeContinue, objectKey, resourcePrefix } from './keys.js'
import { type ListFilter, matchesFilter } from './list-filter.js'
import {
  comparable,
  fillCreateFields,
  formatTime,
  generateNameSuffix,
  preserveUpdateFields,
  specPart,
} from './object-meta.js'

/** Per-request options shared by writes. */
export interface WriteOptions {
  dryRun?: boolean
  /** Collects non-fatal warnings for Warning headers. */
  warnings?: string[]
  /** Called with (old, new) just before a write is stored: managed fields, strict checks. */
  beforeWrite?: (obj: KObject, old: KObject | undefined) => void
}

export interface ListOptions extends ListFilter {
  limit?: number
  continue?: string
  resourceVersion?: string
}

export interface RegistryDeps {
  store: Store
  now: () => number
  admission: AdmissionContext
  /** NamespaceLifecycle: rejects creates in missing or terminating namespaces. */
  admitNamespace?: (namespace: string, resource: string) => Promise<void>
  /** Mutating admission on create (after defaulting, before the strategy prepares and validates). */
  admitCreate?: (resource: string, obj: KObject) => Promise<void>
}

/** Subresources written through the generic update path. */
export type Subresource = 'status' | 'finalize' | 'binding'

/** A mutation applied inside a compare-and-swap retry loop. Receives a private copy. */
export type Mutation = (current: KObject) => KObject | Promise<KObject>

export class ResourceStore {
  readonly gr: GroupResource
  private readonly storageGroup: string
  private readonly storageResource: string

  constructor(
    readonly strategy: ResourceStrategy,
    private readonly deps: RegistryDeps,
  ) {
    this.gr = { group: strategy.group, resource: strategy.resource }
    this.storageGroup = strategy.storedAs?.group ?? strategy.group
    this.storageResource = strategy.storedAs?.resource ?? strategy.resource
  }

  /** Storage prefix of this resource (all namespaces, or one). */
  prefix(namespace?: string): string {
    return resourcePrefix(this.storageGroup, this.storageResource, this.strategy.namespaced ? namespace : undefined)
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.storageGroup, this.storageResource, this.strategy.namespaced ? namespace : undefined, name)
  }

  /** Turns a stored value into the API object, with resourceVersion from the revision. */
  decode(kv: KeyValue, revision = kv.modRevision): KObject {
    let obj = JSON.parse(kv.value) as KObject
    if (this.strategy.storedAs) obj = this.strategy.storedAs.fromStored(obj) as KObject
    obj.metadata.resourceVersion = String(revision)
    return obj
  }

  private encode(obj: KObject): string {
    const stored = this.strategy.storedAs ? this.strategy.storedAs.toStored(obj) : obj
    const { resourceVersion: _rv, ...meta } = stored.metadata
    return JSON.stringify({ ...stored, metadata: meta })
  }

  private apiVersion(): string {
    return this.strategy.group ? `${this.strategy.group}/${this.strategy.version}` : this.strategy.version
  }

  async get(namespace: string | undefined, name: string): Promise<KObject> {
    const kv = await this.deps.store.get(this.key(namespace, name))
    if (!kv) throw notFound(this.gr, name)
    return this.decode(kv)
  }

  /** Lists with selectors and paging; `limit` counts matching objects, as upstream. */
  async list(namespace: string | undefined, opts: ListOptions = {}): Promise<KList> {
    const prefix = this.prefix(namespace)
    let revision: number | undefined
    let startAfter: string | undefined
    if (opts.continue) ({ revision, startAfter } = decodeContinue(opts.continue, prefix))
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined
    const items: KObject[] = []
    let more = false
    let lastKey: string | undefined
    let listRevision = revision ?? 0
    for (;;) {
      let page: Awaited<ReturnType<Store['list']>>
      try {
        page = await this.deps.store.list(prefix, {
          revision: listRevision || undefined,
          limit: limit ? Math.max(limit - items.length, 50) : undefined,
          startAfter,
        })
      } catch (e) {
        if (storeErrorCode(e) === 'Compacted')
          throw opts.continue ? continueExpired() : resourceExpired(listRevision, 0)
        throw e
      }
      listRevision = page.revision
      for (const kv of page.items) {
        lastKey = kv.key
        const obj = this.decode(kv)
        if (!matchesFilter(this.strategy, obj, opts)) continue
        items.push(obj)
        if (limit && items.length >= limit) break
      }
      if (limit && items.length >= limit) {
        more = page.more || lastKey !== page.items[page.items.length - 1]?.key
        break
      }
      if (!page.more) break
      startAfter = page.items[page.items.length - 1]!.key
    }
    const list: KList = {
      apiVersion: this.apiVersion(),
      kind: `${this.strategy.kind}List`,
      metadata: { resourceVersion: String(listRevision) },
      items,
    }
    if (more && lastKey) list.metadata.continue = encodeContinue(listRevision, lastKey, prefix)
    return list
  }

  /** Creates the object in namespace; fills system fields, defaults, validates, admits. */
  async create(namespace: string | undefined, input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const obj = this.normalizeIncoming(namespace, structuredClone(input))
    if (obj.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created')
    if (this.strategy.namespaced && namespace && this.deps.admitNamespace)
      await this.deps.admitNamespace(namespace, this.strategy.resource)
    const generated = !obj.metadata.name && !!obj.metadata.generateName
    for (let attempt = 0; ; attempt++) {
      if (generated) obj.metadata.name = `${obj.metadata.generateName}${generateNameSuffix()}`
      fillCreateFields(obj, this.deps.now(), !!this.strategy.generation)
      this.strategy.defaults?.(obj)
      await this.deps.admitCreate?.(this.strategy.resource, obj)
      this.strategy.prepareForCreate?.(obj)
      this.validateCreate(obj)
      opts.warnings?.push(...(this.strategy.warnings?.(obj) ?? []))
      await this.strategy.admitCreate?.(obj, this.deps.admission)
      opts.beforeWrite?.(obj, undefined)
      if (opts.dryRun) return obj
      try {
        const kv = await this.deps.store.create(this.key(namespace, obj.metadata.name!), this.encode(obj))
        obj.metadata.resourceVersion = String(kv.modRevision)
        return obj
      } catch (e) {
        if (storeErrorCode(e) !== 'KeyExists') throw e
        if (!generated || attempt >= 4) throw alreadyExists(this.gr, obj.metadata.name!)
      }
    }
  }

  /**
   * PUT: replaces the object (or its status). A resourceVersion in the body is a precondition;
   * without one the update is unconditional.
   */
  async update(
    namespace: string | undefined,
    name: string,
    input: KObject,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Promise<{ object: KObject; created: boolean }> {
    const body = this.normalizeIncoming(namespace, structuredClone(input))
    if (body.metadata.name && body.metadata.name !== name)
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`)
    body.metadata.name = name
    const precondition = body.metadata.resourceVersion
    const kv = await this.deps.store.get(this.key(namespace, name))
    if (!kv) {
      if (this.strategy.allowCreateOnUpdate && !opts.subresource) {
        delete body.metadata.resourceVersion
        return { object: await this.create(namespace, body, opts), created: true }
      }
      throw notFound(this.gr, name)
    }
    const object = await this.guaranteedUpdate(
      namespace,
      name,
      () => structuredClone(body),
      { ...opts, precondition },
      kv,
    )
    return { object, created: false }
  }

  /**
   * Read-modify-write with retries on revision conflicts (GuaranteedUpdate). With a
   * precondition resourceVersion, a mismatch is a 409 instead of a retry.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    mutate: Mutation,
    opts: WriteOptions & { subresource?: Subresource; precondition?: string } = {},
    firstKv?: KeyValue,
  ): Promise<KObject> {
    const key = this.key(namespace, name)
    let kv = firstKv ?? (await this.deps.store.get(key))
    for (let attempt = 0; ; attempt++) {
      if (!kv) throw notFound(this.gr, name)
      const old = this.decode(kv)
      if (opts.precondition && opts.precondition !== old.metadata.resourceVersion) throw staleConflict(this.gr, name)
      const next = this.normalizeIncoming(namespace, await mutate(structuredClone(old)))
      if (next.metadata.name !== name)
        throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`)
      this.prepareUpdate(next, old, opts.subresource)
      if (deepEqual(comparable(next), comparable(old))) return old
      if (!opts.subresource) await this.strategy.admitUpdate?.(next, old, this.deps.admission)
      opts.beforeWrite?.(next, old)
      if (opts.dryRun) return next
      try {
        if (this.isFinalized(next)) {
          const deleted = await this.deps.store.delete(key, kv.modRevision)
          return this.decode({ ...deleted, value: this.encode(next) })
        }
        const written = await this.deps.store.update(key, this.encode(next), kv.modRevision)
        next.metadata.resourceVersion = String(written.modRevision)
        return next
      } catch (e) {
        const code = storeErrorCode(e)
        if (code === 'KeyNotFound') throw notFound(this.gr, name)
        if (code !== 'RevisionConflict') throw e
        if (opts.precondition) throw staleConflict(this.gr, name)
        if (attempt > 100) throw conflict(this.gr, name, 'too many concurrent updates')
        kv = (e as { current: KeyValue }).current
      }
    }
  }

  /** Strategy hooks, system fields, generation and validation for an update of `next` over `old`. */
  private prepareUpdate(next: KObject, old: KObject, subresource?: Subresource): void {
    preserveUpdateFields(next, old)
    next.metadata.resourceVersion = old.metadata.resourceVersion
    // Server-side subresources (pods/binding) write system fields their handler checked itself.
    if (subresource === 'binding') return
    if (subresource === 'finalize') {
      // Namespace /finalize changes spec.finalizers and nothing else.
      const finalizers = (next.spec as { finalizers?: string[] } | undefined)?.finalizers
      Object.assign(next, structuredClone({ ...old, metadata: next.metadata }))
      next.metadata = structuredClone(old.metadata)
      next.spec = { ...(next.spec as object), finalizers: finalizers ?? [] }
      return
    }
    if (subresource === 'status') {
      if (this.strategy.prepareForStatusUpdate) this.strategy.prepareForStatusUpdate(next, old)
      else {
        const status = next.status
        Object.assign(next, structuredClone({ ...old, status }))
        next.metadata = structuredClone(old.metadata)
      }
    } else if (this.strategy.prepareForUpdate) this.strategy.prepareForUpdate(next, old)
    else if (this.strategy.statusSubresource) next.status = structuredClone(old.status)
    this.strategy.defaults?.(next)
    if (this.strategy.generation && !deepEqual(specPart(next), specPart(old)))
      next.metadata.generation = (old.metadata.generation ?? 0) + 1
    const errors: FieldError[] = [...validateObjectMetaUpdate(next.metadata, old.metadata)]
    if (subresource === 'status') errors.push(...(this.strategy.validateStatusUpdate?.(next, old) ?? []))
    else {
      errors.push(...this.metaErrors(next))
      errors.push(...(this.strategy.validateUpdate?.(next, old) ?? this.strategy.validate?.(next) ?? []))
    }
    if (errors.length) throw invalid(this.strategy, next.metadata.name ?? '', errors)
  }

  /** An object marked for deletion whose finalizers are all gone is removed, not updated. */
  private isFinalized(obj: KObject): boolean {
    const m = obj.metadata
    if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false
    if ((m.deletionGracePeriodSeconds ?? 0) > 0) return false
    const specFinalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers
    return !(this.strategy.resource === 'namespaces' && specFinalizers?.length)
  }

  /** DELETE: applies preconditions, propagation finalizers and the grace period; removes or marks. */
  async delete(
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
    opts: WriteOptions = {},
  ): Promise<{ object: KObject; deleted: boolean }> {
    const key = this.key(namespace, name)
    for (let attempt = 0; ; attempt++) {
      const kv = await this.deps.store.get(key)
      if (!kv) throw notFound(this.gr, name)
      const current = this.decode(kv)
      const pre = options.preconditions
      if (pre?.uid && pre.uid !== current.metadata.uid)
        throw conflict(
          this.gr,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
        )
      if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
        throw conflict(
          this.gr,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        )
      const plan = planDelete(this.strategy, current, options, this.deps.now())
      if (plan.error)
        throw invalid(this.strategy, name, [invalidValue('gracePeriodSeconds', options.gracePeriodSeconds, plan.error)])
      try {
        if (plan.action === 'remove') {
          if (opts.dryRun) return { object: current, deleted: true }
          const deleted = await this.deps.store.delete(key, kv.modRevision)
          return { object: this.decode({ ...deleted, value: kv.value }, deleted.modRevision), deleted: true }
        }
        if (opts.dryRun || !plan.object) return { object: plan.object ?? current, deleted: false }
        const written = await this.deps.store.update(key, this.encode(plan.object), kv.modRevision)
        plan.object.metadata.resourceVersion = String(written.modRevision)
        return { object: plan.object, deleted: false }
      } catch (e) {
        const code = storeErrorCode(e)
        if (code === 'KeyNotFound') throw notFound(this.gr, name)
        if (code !== 'RevisionConflict' || attempt > 100) throw e
      }
    }
  }

  /** Sets kind/apiVersion and namespace from the request; rejects mismatches as upstream does. */
  private normalizeIncoming(namespace: string | undefined, obj: KObject): KObject {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('Object is not a valid JSON object')
    if (obj.kind && obj.kind !== this.strategy.kind)
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${this.apiVersion()})`,
      )
    if (obj.apiVersion && obj.apiVersion !== this.apiVersion())
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${this.apiVersion()})`,
      )
    obj.apiVersion = this.apiVersion()
    obj.kind = this.strategy.kind
    obj.metadata ??= {}
    if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequest('metadata must be an object')
    if (this.strategy.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      if (namespace) obj.metadata.namespace = namespace
    } else delete obj.metadata.namespace
    return obj
  }

  private metaErrors(obj: KObject): FieldError[] {
    const nameFn = this.strategy.validateName
      ? (name: string, prefix: boolean) => (prefix ? [] : this.strategy.validateName!(name))
      : undefined
    return validateObjectMeta(obj.metadata, { namespaced: this.strategy.namespaced, nameFn })
  }

  private validateCreate(obj: KObject): void {
    const errors = [...this.metaErrors(obj), ...(this.strategy.validate?.(obj) ?? [])]
    if (errors.length) throw invalid(this.strategy, obj.metadata.name ?? obj.metadata.generateName ?? '', errors)
  }

  /** A stable error for impossible states, never leaking internals. */
  static internal(e: unknown): never {
    throw internalError(e instanceof Error ? e.message : String(e))
  }
}

export { formatTime }
