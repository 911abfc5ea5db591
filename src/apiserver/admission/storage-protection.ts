/**
 * StorageObjectInUseProtection: new claims and volumes carry the protection finalizers, so a
 * claim in use by a pod (or a bound volume) is not removed until the protection controllers
 * release it.
 */
import type { AdmissionPlugin } from './admission.js'

const finalizers: Record<string, string> = {
  persistentvolumeclaims: 'kubernetes.io/pvc-protection',
  persistentvolumes: 'kubernetes.io/pv-protection',
}

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: 'StorageObjectInUseProtection',
  resources: Object.keys(finalizers),
  admitCreate(obj) {
    const f = obj.kind === 'PersistentVolume' ? finalizers.persistentvolumes! : finalizers.persistentvolumeclaims!
    const list = obj.metadata.finalizers ?? []
    if (!list.includes(f)) obj.metadata.finalizers = [...list, f]
  },
}
