/** Builders of PersistentVolumes, claims and classes for the PV controller's unit tests. */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { LabelSelector } from '../../api/meta.js'
import type { StorageClass } from '../../api/storage.js'

/** A volume options. */
export interface VolumeOpts {
  size?: string
  modes?: string[]
  phase?: string
  className?: string
  labels?: Record<string, string>
  claim?: { name: string; namespace?: string; uid?: string }
  mode?: string
  policy?: string
  annotations?: Record<string, string>
  deleting?: boolean
  source?: Record<string, unknown>
}

/** A PersistentVolume named `name` (5Gi, RWO, Available, nfs unless told otherwise). */
export function pv(name: string, o: VolumeOpts = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: '1',
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: {
      capacity: { storage: o.size ?? '5Gi' },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: o.policy ?? 'Retain',
      volumeMode: o.mode ?? 'Filesystem',
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.claim
        ? {
            claimRef: {
              kind: 'PersistentVolumeClaim',
              apiVersion: 'v1',
              namespace: o.claim.namespace ?? 'default',
              name: o.claim.name,
              ...(o.claim.uid ? { uid: o.claim.uid } : {}),
            },
          }
        : {}),
      ...(o.source ?? { nfs: { server: 'node2', path: `/data/${name}` } }),
    },
    status: { phase: o.phase ?? 'Available' },
  }
}

/** Claim options. */
export interface ClaimOpts {
  size?: string
  modes?: string[]
  className?: string | null
  selector?: LabelSelector
  volumeName?: string
  mode?: string
  annotations?: Record<string, string>
  phase?: string
}

/** A claim `default/name` (uid `uid-name`, 5Gi RWO, no class unless told). */
export function pvc(name: string, o: ClaimOpts = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.size ?? '5Gi' } },
      volumeMode: o.mode ?? 'Filesystem',
      ...(o.className != null ? { storageClassName: o.className } : {}),
      ...(o.selector ? { selector: o.selector } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
    status: { phase: o.phase ?? 'Pending' },
  }
}

/** A StorageClass. */
export function sc(
  name: string,
  o: { provisioner?: string; mode?: string; isDefault?: boolean; created?: string } = {},
): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner: o.provisioner ?? 'petset.dev/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: o.mode ?? 'Immediate',
  }
}
