/**
 * petset's own descriptions of storage and configuration types: PersistentVolume, PersistentVolumeClaim,
 * StorageClass, pod volume sources, ConfigMap and Secret. A prose table, longer than the usual file size
 * on purpose. Pure data.
 */
import type { DocsTable } from './docs-table.js'

const accessModes =
  'How the volume may be mounted: ReadWriteOnce (read-write by one node), ReadOnlyMany (read-only by many nodes), ' +
  'ReadWriteMany (read-write by many nodes) or ReadWriteOncePod (read-write by one pod).'

/** Descriptions of storage and configuration types, keyed by `<group>.<version>.<Type>`. */
export const storageDocs: DocsTable = {
  'core.v1.PersistentVolume': {
    about:
      'A piece of storage in the cluster, made by an administrator or provisioned for a claim. ' +
      'A volume is bound to at most one PersistentVolumeClaim at a time.',
    fields: {
      spec: 'Capacity, access modes, where the storage lives, and what happens to it after release.',
      status: 'The current phase of the volume.',
    },
  },
  'core.v1.PersistentVolumeSpec': {
    about: 'The properties of a PersistentVolume.',
    fields: {
      capacity: 'Size of the volume, as storage: <quantity>, for example storage: 5Gi.',
      accessModes,
      persistentVolumeReclaimPolicy:
        'What happens when its claim is deleted: Retain (keep the data and leave the volume Released), ' +
        'Delete (remove the volume), or Recycle (scrub the data and make it Available again).',
      storageClassName: 'StorageClass this volume belongs to. Only claims asking for the same class bind to it.',
      claimRef: 'The claim this volume is bound (or reserved) to.',
      mountOptions: 'Mount options used when the volume is mounted.',
      volumeMode: 'Filesystem (the default) or Block.',
      nodeAffinity: 'Nodes from which the volume can be reached; pods using it are scheduled there.',
      hostPath: 'A directory on the node. Only suitable for single-node use and testing.',
      nfs: 'An NFS export.',
      local: 'A disk or directory attached to one node.',
      csi: 'A volume provided by a CSI driver.',
    },
    enums: { persistentVolumeReclaimPolicy: ['Delete', 'Recycle', 'Retain'], volumeMode: ['Block', 'Filesystem'] },
  },
  'core.v1.PersistentVolumeStatus': {
    about: 'Observed state of a PersistentVolume.',
    fields: {
      phase: 'Available (free), Bound (to a claim), Released (claim deleted, not yet reclaimed), Failed, or Pending.',
      message: 'Human-readable detail about the phase.',
      reason: 'Short reason for a failure.',
      lastPhaseTransitionTime: 'When the phase last changed.',
    },
    enums: { phase: ['Available', 'Bound', 'Failed', 'Pending', 'Released'] },
  },
  'core.v1.PersistentVolumeClaim': {
    about:
      'A request for storage. The claim binds to a matching PersistentVolume (the smallest one that satisfies it) ' +
      'or has one provisioned through its StorageClass; pods then mount the claim by name.',
    fields: {
      spec: 'What storage is asked for.',
      status: 'Whether the claim is bound and what it got.',
    },
  },
  'core.v1.PersistentVolumeClaimSpec': {
    about: 'The storage a claim asks for.',
    fields: {
      accessModes: `Access modes the volume must support. ${accessModes}`,
      resources: 'How much storage is needed, as requests.storage, for example 1Gi.',
      selector: 'Labels a pre-made volume must carry to be considered.',
      storageClassName:
        'StorageClass to use. Empty string means only volumes without a class; omitted means the default class.',
      volumeName: 'Bind to this specific PersistentVolume.',
      volumeMode: 'Filesystem (the default) or Block.',
      dataSource: 'An existing object, such as a snapshot, to fill the new volume from.',
      dataSourceRef: 'Like dataSource, and may also name objects from other API groups.',
    },
    enums: { volumeMode: ['Block', 'Filesystem'] },
  },
  'core.v1.VolumeResourceRequirements': {
    about: 'Storage amounts for a claim.',
    fields: {
      requests: 'The minimum size the volume must have, as storage: <quantity>.',
      limits: 'The largest size the claim may use.',
    },
  },
  'core.v1.PersistentVolumeClaimStatus': {
    about: 'Observed state of a claim.',
    fields: {
      phase: 'Pending (not yet bound), Bound, or Lost (its volume disappeared).',
      accessModes: 'Access modes of the bound volume.',
      capacity: 'Size of the bound volume.',
      conditions: 'Latest observations of the claim, such as Resizing.',
    },
    enums: { phase: ['Bound', 'Lost', 'Pending'] },
  },
  'core.v1.PersistentVolumeClaimTemplate': {
    about: 'A claim template for a generic ephemeral volume.',
    fields: { spec: 'Spec of the claim created for the pod.' },
  },
  'storage.v1.StorageClass': {
    about:
      'A kind of storage that claims can ask for by name. Its provisioner creates PersistentVolumes on demand ' +
      'for claims of this class.',
    fields: {
      provisioner: 'Name of the provisioner that creates volumes of this class.',
      parameters: 'Settings passed to the provisioner.',
      reclaimPolicy: 'Reclaim policy given to the volumes it creates: Delete (the default) or Retain.',
      volumeBindingMode:
        'Immediate (the default) provisions and binds as soon as the claim exists; WaitForFirstConsumer waits ' +
        'until a pod uses the claim.',
      allowVolumeExpansion: 'Whether claims of this class may be resized upwards.',
      mountOptions: 'Mount options given to the volumes it creates.',
      allowedTopologies: 'Where volumes of this class may be provisioned.',
    },
    enums: { reclaimPolicy: ['Delete', 'Retain'], volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'] },
  },
  'core.v1.Volume': {
    about: 'A named volume of a pod. Set the name and exactly one source.',
    fields: {
      name: 'Name of the volume, referred to by volumeMounts.',
      emptyDir: 'A fresh empty directory that lives and dies with the pod.',
      hostPath: 'A file or directory of the node.',
      configMap: 'The keys of a ConfigMap, one file per key.',
      secret: 'The keys of a Secret, one file per key.',
      persistentVolumeClaim: 'The volume bound to a PersistentVolumeClaim in the pod namespace.',
      nfs: 'An NFS export.',
      projected: 'Several sources (ConfigMaps, Secrets, pod fields, tokens) merged into one directory.',
      downwardAPI: 'Fields of the pod written as files.',
      ephemeral: 'A claim created for the pod and deleted with it.',
      csi: 'A volume provided by a CSI driver.',
    },
  },
  'core.v1.EmptyDirVolumeSource': {
    about: 'A scratch directory created empty when the pod starts and removed when it ends.',
    fields: {
      medium: 'Empty (the default) uses the node disk; Memory uses a tmpfs.',
      sizeLimit: 'Most data the directory may hold.',
    },
  },
  'core.v1.HostPathVolumeSource': {
    about: 'A path on the node filesystem.',
    fields: {
      path: 'Path on the node.',
      type: 'What must be at the path: empty (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.',
    },
  },
  'core.v1.NFSVolumeSource': {
    about: 'An NFS export mounted into the pod.',
    fields: { server: 'NFS server name or address.', path: 'Exported path.', readOnly: 'Mount read-only.' },
  },
  'core.v1.PersistentVolumeClaimVolumeSource': {
    about: 'Mounts the volume bound to a claim.',
    fields: { claimName: 'Name of the claim in the pod namespace.', readOnly: 'Mount read-only.' },
  },
  'core.v1.ConfigMapVolumeSource': {
    about: 'Puts the keys of a ConfigMap into a directory, one file per key. Updates reach running pods.',
    fields: {
      name: 'Name of the ConfigMap.',
      items: 'Only these keys, at these paths. Without it every key becomes a file named after the key.',
      defaultMode: 'File mode bits of the files, 0644 unless set.',
      optional: 'Allow the ConfigMap to be missing.',
    },
  },
  'core.v1.SecretVolumeSource': {
    about: 'Puts the keys of a Secret into a directory, one file per key, with the decoded values.',
    fields: {
      secretName: 'Name of the Secret.',
      items: 'Only these keys, at these paths. Without it every key becomes a file named after the key.',
      defaultMode: 'File mode bits of the files, 0644 unless set.',
      optional: 'Allow the Secret to be missing.',
    },
  },
  'core.v1.KeyToPath': {
    about: 'Maps one key to a file path inside a volume.',
    fields: { key: 'Key to project.', path: 'Relative path of the file.', mode: 'File mode bits of this file.' },
  },
  'core.v1.ConfigMap': {
    about:
      'Non-secret configuration as key-value pairs, consumed by pods as environment variables, command arguments or files.',
    fields: {
      data: 'UTF-8 text values by key. Keys may contain letters, digits, "-", "_" and ".".',
      binaryData: 'Binary values by key, base64-encoded in JSON. Keys must not repeat those of data.',
      immutable: 'When true, data can no longer change; only deletion is possible.',
    },
  },
  'core.v1.Secret': {
    about:
      'Sensitive data such as passwords, tokens or keys, consumed by pods as environment variables or files. ' +
      'Values are base64-encoded in the API, not encrypted.',
    fields: {
      data: 'Values by key, base64-encoded.',
      stringData: 'Plain-text values by key, merged into data on write (and never returned). Wins over data.',
      type:
        'Kind of secret, which fixes the keys it must hold: Opaque (the default), kubernetes.io/tls, ' +
        'kubernetes.io/dockerconfigjson, kubernetes.io/service-account-token, and others.',
      immutable: 'When true, data can no longer change; only deletion is possible.',
    },
  },
}
