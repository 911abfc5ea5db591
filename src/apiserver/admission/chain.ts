/**
 * The admission plugins petset runs, in kube-apiserver's order.
 */
import type { AdmissionPlugin } from './admission.js'
import { defaultStorageClass } from './default-storage-class.js'
import { defaultTolerations } from './default-toleration-seconds.js'
import { priorityAdmission } from './priority.js'
import { serviceAccountAdmission } from './service-account.js'
import { storageObjectInUseProtection } from './storage-protection.js'

/** Mutating plugins applied on create. */
export const admissionChain: AdmissionPlugin[] = [
  serviceAccountAdmission,
  defaultTolerations,
  priorityAdmission,
  defaultStorageClass,
  storageObjectInUseProtection,
]
