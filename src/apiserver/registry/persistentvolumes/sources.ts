/**
 * PersistentVolume volume sources (upstream ValidatePersistentVolumeSpec's source section):
 * exactly one source, with hostPath, nfs, local and csi checked in detail, plus the node
 * affinity a local volume needs (ValidateNodeSelector). Other in-tree sources are counted
 * but not inspected. Pure.
 */
import type {
  CSIPersistentVolumeSource,
  HostPathVolumeSource,
  NFSVolumeSource,
  NodeSelectorRequirement,
  PersistentVolumeSpec,
  SecretReference,
  VolumeNodeAffinity,
} from '../../../api/core.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabelName } from '../../../machinery/labels.js'
import { isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from '../../../machinery/validation/names.js'

/** Source fields in upstream's order, with the path name its "more than 1" error uses. */
export const pvSourceFields: [field: string, errorName: string][] = [
  ['hostPath', 'hostPath'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['nfs', 'nfs'],
  ['rbd', 'rbd'],
  ['quobyte', 'quobyte'],
  ['cephfs', 'cephFS'],
  ['iscsi', 'iscsi'],
  ['cinder', 'cinder'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['scaleIO', 'scaleIO'],
  ['local', 'local'],
  ['storageos', 'storageos'],
  ['csi', 'csi'],
]

const hostPathTypes = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
]

/** validatePathNoBacksteps: no ".." element. */
export function validatePathNoBacksteps(target: string, path: Path): FieldError[] {
  return target.split('/').includes('..') ? [invalidValue(path, target, "must not contain '..'")] : []
}

function validateHostPath(hp: HostPathVolumeSource, path: Path): FieldError[] {
  if (!hp.path) return [required(path.child('path'))]
  const errs = validatePathNoBacksteps(hp.path, path.child('path'))
  if (hp.type !== undefined && !hostPathTypes.includes(hp.type))
    errs.push(notSupported(path.child('type'), hp.type, hostPathTypes))
  return errs
}

function validateNFS(nfs: NFSVolumeSource, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!nfs.server) errs.push(required(path.child('server')))
  if (!nfs.path) errs.push(required(path.child('path')))
  if (!(nfs.path ?? '').startsWith('/'))
    errs.push(invalidValue(path.child('path'), nfs.path ?? '', 'must be an absolute path'))
  return errs
}

function validateSecretRef(ref: SecretReference, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!ref.name) errs.push(required(path.child('name')))
  else errs.push(...isDNS1123Subdomain(ref.name).map(m => invalidValue(path.child('name'), ref.name, m)))
  if (!ref.namespace) errs.push(required(path.child('namespace')))
  else errs.push(...isDNS1123Label(ref.namespace).map(m => invalidValue(path.child('namespace'), ref.namespace, m)))
  return errs
}

/** ValidateCSIDriverName. */
export function validateCSIDriverName(driver: string, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!driver) errs.push(required(path))
  if (driver.length > 63)
    errs.push({ type: 'FieldValueTooLong', field: String(path), detail: 'must have at most 63 bytes' })
  errs.push(...isDNS1123Subdomain(driver.toLowerCase()).map(m => invalidValue(path, driver, m)))
  return errs
}

function validateCSI(csi: CSIPersistentVolumeSource, path: Path): FieldError[] {
  const errs = validateCSIDriverName(csi.driver ?? '', path.child('driver'))
  if (!csi.volumeHandle) errs.push(required(path.child('volumeHandle')))
  for (const ref of [
    'controllerPublishSecretRef',
    'controllerExpandSecretRef',
    'nodePublishSecretRef',
    'nodeExpandSecretRef',
  ] as const) {
    const r = csi[ref]
    if (r) errs.push(...validateSecretRef(r, path.child(ref)))
  }
  return errs
}

function validateNodeSelectorRequirement(rq: NodeSelectorRequirement, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const n = rq.values?.length ?? 0
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (n === 0) errs.push(required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"))
      break
    case 'Exists':
    case 'DoesNotExist':
      if (n > 0)
        errs.push(
          forbiddenField(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        )
      break
    case 'Gt':
    case 'Lt':
      if (n !== 1)
        errs.push(required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
      break
    default:
      errs.push(invalidValue(path.child('operator'), rq.operator, 'not a valid selector operator'))
  }
  errs.push(...validateLabelName(rq.key, path.child('key')))
  ;(rq.values ?? []).forEach((v, i) => {
    for (const m of isValidLabelValue(v)) errs.push(invalidValue(path.child('values').index(i), v, m))
  })
  return errs
}

function validateNodeFieldSelectorRequirement(rq: NodeSelectorRequirement, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (rq.values?.length !== 1)
      errs.push(
        required(
          path.child('values'),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      )
  } else errs.push(invalidValue(path.child('operator'), rq.operator, 'not a valid selector operator'))
  if (rq.key !== 'metadata.name') errs.push(invalidValue(path.child('key'), rq.key, 'not a valid field selector key'))
  return errs
}

/** validateVolumeNodeAffinity: a PV's nodeAffinity must carry required node selector terms. */
export function validateVolumeNodeAffinity(na: VolumeNodeAffinity, path: Path): FieldError[] {
  if (!na.required) return [required(path.child('required'), 'must specify required node constraints')]
  const terms = path.child('required').child('nodeSelectorTerms')
  if (!na.required.nodeSelectorTerms?.length) return [required(terms, 'must have at least one node selector term')]
  return na.required.nodeSelectorTerms.flatMap((t, i) => [
    ...(t.matchExpressions ?? []).flatMap((r, j) =>
      validateNodeSelectorRequirement(r, terms.index(i).child('matchExpressions').index(j)),
    ),
    ...(t.matchFields ?? []).flatMap((r, j) =>
      validateNodeFieldSelectorRequirement(r, terms.index(i).child('matchFields').index(j)),
    ),
  ])
}

/** Exactly one volume source, each checked; a local volume also needs node affinity. */
export function validatePVSources(spec: PersistentVolumeSpec, path: Path): FieldError[] {
  const errs: FieldError[] = []
  let count = 0
  for (const [field, errorName] of pvSourceFields) {
    const src = spec[field]
    if (src === undefined || src === null) continue
    // NOTE: upstream never counts flexVolume against the others (it skips the check).
    if (count > 0 && field !== 'flexVolume') {
      errs.push(forbiddenField(path.child(errorName), 'may not specify more than 1 volume type'))
      continue
    }
    count++
    if (field === 'hostPath') errs.push(...validateHostPath(src as HostPathVolumeSource, path.child('hostPath')))
    if (field === 'nfs') errs.push(...validateNFS(src as NFSVolumeSource, path.child('nfs')))
    if (field === 'csi') errs.push(...validateCSI(src as CSIPersistentVolumeSource, path.child('csi')))
    if (field === 'local') {
      const local = src as { path?: string }
      if (!local.path) errs.push(required(path.child('local').child('path')))
      else errs.push(...validatePathNoBacksteps(local.path, path.child('local').child('path')))
      if (!spec.nodeAffinity) errs.push(required(path.child('nodeAffinity'), 'Local volume requires node affinity'))
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'))
  return errs
}

/** The source fields of a PV spec (upstream's PersistentVolumeSource), for the immutability check. */
export function pvSourceOf(spec: PersistentVolumeSpec | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [field] of pvSourceFields) if (spec?.[field] !== undefined) out[field] = spec[field]
  return out
}
