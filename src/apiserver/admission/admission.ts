/**
 * Mutating admission: what kube-apiserver's admission plugins change on objects before the
 * registry prepares and validates them. Each plugin is one file; chain.ts lists them in order.
 */
import type { KObject } from '../../api/meta.js'

/** Read access to other objects, for plugins that look things up (classes, accounts). */
export interface AdmissionReader {
  get(resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined>
  list(resource: string, namespace?: string): Promise<KObject[]>
}

export interface AdmissionPlugin {
  name: string
  /** Resources the plugin looks at on create (plural names of the core/storage groups). */
  resources: string[]
  /** Mutates obj in place, or throws a StatusError to reject the request. */
  admitCreate(obj: KObject, reader: AdmissionReader): Promise<void> | void
}

/** Runs the plugins that apply to resource, in order. */
export async function runAdmission(
  plugins: AdmissionPlugin[],
  resource: string,
  obj: KObject,
  reader: AdmissionReader,
): Promise<void> {
  for (const p of plugins) if (p.resources.includes(resource)) await p.admitCreate(obj, reader)
}
