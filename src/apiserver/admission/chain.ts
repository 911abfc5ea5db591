/**
 * The admission plugins petset runs, in kube-apiserver's order.
 */
import type { AdmissionPlugin } from './admission.js'
import { defaultTolerations } from './default-toleration-seconds.js'
import { priorityAdmission } from './priority.js'
import { serviceAccountAdmission } from './service-account.js'
import { storageObjectInUseProtection } from './storage-protection.js'

/**
 * Mutating plugins applied on create. NOTE: DefaultStorageClass is deliberately absent: the PV
 * controller assigns the default class retroactively, only when no class-less volume fits, so
 * the seed tutorials' pre-made PersistentVolumes bind as they did on their class-less clusters.
 */
export const admissionChain: AdmissionPlugin[] = [
  serviceAccountAdmission,
  defaultTolerations,
  priorityAdmission,
  storageObjectInUseProtection,
]
