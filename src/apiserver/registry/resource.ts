/**
 * ResourceStrategy: everything the generic registry needs to know about one kind
 * (kube-apiserver's rest.*Strategy plus discovery facts and the table printer).
 * A resource is one folder under registry/ exporting a strategy; index.ts lists them.
 * Strategies are pure: they mutate the object handed to them and return errors; no I/O.
 */
import type { KObject } from '../../api/meta.js'
import type { FieldError } from '../../machinery/field-error.js'

export interface TableColumn {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date'
  format: string
  description: string
  priority: number
}

/** Server-side printer: column definitions plus one row of cells per object. */
export interface Printer<T extends KObject = KObject> {
  columns: TableColumn[]
  /** Cells in column order. `now` is the server clock in ms (ages are computed from it). */
  cells(obj: T, now: number): unknown[]
  /** Optional row conditions, e.g. [{type:'Completed',status:'True'}] for finished pods. */
  conditions?(obj: T): { type: string; status: string }[] | undefined
}

/** How the /scale subresource maps onto the object (autoscaling/v1 Scale). */
export interface ScaleAccess<T extends KObject = KObject> {
  specReplicas(obj: T): number
  statusReplicas(obj: T): number
  /** Label selector as a string ("app=nginx"), as Scale.status.selector. */
  selector(obj: T): string
  setSpecReplicas(obj: T, replicas: number): void
}

/** What a strategy may ask of the server while admitting an object (e.g. IP allocation). */
export interface AdmissionContext {
  /** Lists live objects of another resource, e.g. to find used ClusterIPs. */
  list(resource: string, namespace?: string): Promise<KObject[]>
}

export interface ResourceStrategy<T extends KObject = any> {
  group: string
  version: string
  kind: string
  /** Plural, lower case: "statefulsets". */
  resource: string
  /** Lower-case kind: "statefulset". */
  singular: string
  namespaced: boolean
  shortNames?: string[]
  categories?: string[]
  /** Verbs in discovery; defaults to the full set. */
  verbs?: string[]
  /** Has a /status subresource: main writes keep the old status, /status writes keep the old spec. */
  statusSubresource?: boolean
  /** metadata.generation starts at 1 and is bumped when anything outside metadata and status changes. */
  generation?: boolean
  /** Present when the kind has a /scale subresource. */
  scale?: ScaleAccess<T>
  /** Fills defaults in place. Runs on every write (create, update, patch) before validation. */
  defaults?(obj: T): void
  /** Create: clear what clients may not set (status, for kinds with a status subresource). */
  prepareForCreate?(obj: T): void
  /** Main-resource update: restore from `old` what this path may not change. */
  prepareForUpdate?(obj: T, old: T): void
  /** /status update: restore from `old` everything but status. */
  prepareForStatusUpdate?(obj: T, old: T): void
  /** Full validation on create (metadata is validated by the registry; name rules below). */
  validate?(obj: T): FieldError[]
  /** Update validation: immutability plus full re-validation where upstream does it. */
  validateUpdate?(obj: T, old: T): FieldError[]
  validateStatusUpdate?(obj: T, old: T): FieldError[]
  /** Non-fatal warnings, sent as Warning headers. */
  warnings?(obj: T, old?: T): string[]
  /** Name rule; defaults to DNS-1123 subdomain. Returns upstream's messages. */
  validateName?(name: string): string[]
  /** Field-selector labels this kind supports beyond metadata.name and metadata.namespace. */
  fieldLabels?(obj: T): Record<string, string>
  printer?: Printer<T>
  /** Grace period used when a delete names none; 0/undefined deletes at once. */
  defaultGracePeriodSeconds?(obj: T): number | undefined
  /**
   * Adjusts the grace period a delete will use (pods: 0 when never scheduled or already
   * finished). Receives the requested-or-default period, returns the one to apply.
   */
  checkGracefulDelete?(obj: T, gracePeriodSeconds: number): number
  /** PUT on a missing object creates it (events, endpoints, leases). */
  allowCreateOnUpdate?: boolean
  /** Async admission on create (allocations); may throw StatusError. */
  admitCreate?(obj: T, ctx: AdmissionContext): Promise<void>
  /** Async admission on update. */
  admitUpdate?(obj: T, old: T, ctx: AdmissionContext): Promise<void>
  /**
   * Set when this kind is another version of a resource stored elsewhere (events.k8s.io/v1
   * Event is stored as core/v1 Event): objects are converted on the way in and out.
   */
  storedAs?: {
    group: string
    resource: string
    toStored(obj: T): KObject
    fromStored(obj: KObject): T
  }
}

/** Group/version/kind helpers over a strategy. */
export const apiVersionOf = (s: ResourceStrategy) => (s.group ? `${s.group}/${s.version}` : s.version)
