/**
 * DefaultStorageClass: a claim created without spec.storageClassName gets the default
 * StorageClass (annotation storageclass.kubernetes.io/is-default-class=true; the newest wins
 * when several are marked). An explicit "" keeps the claim class-less.
 */
import type { KObject } from '../../api/meta.js'
import type { AdmissionPlugin } from './admission.js'

const defaultAnnotation = 'storageclass.kubernetes.io/is-default-class'
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class'

/** The default class among classes, or undefined. */
export function pickDefaultClass(classes: KObject[]): KObject | undefined {
  const marked = classes.filter(c => c.metadata.annotations?.[defaultAnnotation] === 'true')
  marked.sort(
    (a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  )
  return marked[0]
}

export const defaultStorageClass: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  resources: ['persistentvolumeclaims'],
  async admitCreate(obj, reader) {
    const spec = (obj.spec ??= {}) as { storageClassName?: string }
    if (spec.storageClassName !== undefined || obj.metadata.annotations?.[betaClassAnnotation] !== undefined) return
    const def = pickDefaultClass(await reader.list('storageclasses'))
    if (def) spec.storageClassName = def.metadata.name
  },
}
