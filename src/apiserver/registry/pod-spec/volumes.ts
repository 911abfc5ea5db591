/**
 * Volume validation (ValidateVolumes and the per-source checks of core/validation) for the
 * sources petset implements: emptyDir, hostPath, secret, nfs, persistentVolumeClaim,
 * downwardAPI, configMap, projected. Other upstream sources are counted (so "more than 1 volume
 * type" still works) but their contents are not checked. Pure: no I/O.
 */
import type { DownwardAPIVolumeFile, KeyToPath, ProjectedVolumeSource, Volume } from '../../../api/pod.js'
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import {
  validateLocalNonReservedPath,
  validateObjectFieldSelector,
  validatePathNoBacksteps,
  validateResourceFieldSelector,
  volumeFieldPaths,
} from './field-refs.js'
import { validateDNS1123Label } from './helpers.js'

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive'

/** Upstream's volume sources in validateVolumeSource's order, with the path its Forbidden error uses. */
const volumeSources: [key: string, forbiddenPath: string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  // NOTE: upstream's typo, kept: the Forbidden path reads "downwarAPI".
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
]

const supportedHostPathTypes = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
]

const badMode = (m: number | undefined) => m !== undefined && (m > 0o777 || m < 0)

function validateKeyToPath(kp: KeyToPath, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!kp.key) errs.push(required(path.child('key')))
  if (!kp.path) errs.push(required(path.child('path')))
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', path.child('path')))
  if (badMode(kp.mode)) errs.push(invalidValue(path.child('mode'), kp.mode, fileModeErrorMsg))
  return errs
}

function validateDownwardAPIFile(file: DownwardAPIVolumeFile, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!file.path) errs.push(required(path.child('path')))
  errs.push(...validateLocalNonReservedPath(file.path ?? '', path.child('path')))
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, volumeFieldPaths, path.child('fieldRef')))
    if (file.resourceFieldRef)
      errs.push(invalidValue(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'))
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, path.child('resourceFieldRef'), true))
  } else errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'))
  if (badMode(file.mode)) errs.push(invalidValue(path.child('mode'), file.mode, fileModeErrorMsg))
  return errs
}

function validateProjected(src: ProjectedVolumeSource, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (badMode(src.defaultMode)) errs.push(invalidValue(path.child('defaultMode'), src.defaultMode, fileModeErrorMsg))
  const seen = new Set<string>()
  const claim = (p: string, shown: unknown) => {
    if (seen.has(p)) errs.push(invalidValue(path, shown, 'conflicting duplicate paths'))
    else seen.add(p)
  }
  ;(src.sources ?? []).forEach((s, i) => {
    const srcPath = path.child('sources').index(i)
    let n = 0
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = s[kind]
      if (!ref) continue
      n++
      if (!ref.name) errs.push(required(srcPath.child(kind, 'name')))
      ;(ref.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, srcPath.child(kind, 'items').index(j)))
        if (kp.path) claim(kp.path, ref.name ?? '')
      })
    }
    if (s.downwardAPI) {
      n++
      for (const f of s.downwardAPI.items ?? []) {
        errs.push(...validateDownwardAPIFile(f, srcPath.child('downwardAPI')))
        if (f.path) claim(f.path, f.path)
      }
    }
    const sat = s.serviceAccountToken
    if (sat) {
      n++
      const exp = sat.expirationSeconds ?? 3600
      const expPath = srcPath.child('serviceAccountToken', 'expirationSeconds')
      if (exp < 600) errs.push(invalidValue(expPath, exp, 'may not specify a duration less than 10 minutes'))
      if (exp > 2 ** 32) errs.push(invalidValue(expPath, exp, 'may not specify a duration larger than 2^32 seconds'))
      if (!sat.path) errs.push(required(path.child('path')))
      else errs.push(...validateLocalNonReservedPath(sat.path, path.child('path')))
    }
    if (n > 1) errs.push(forbiddenField(srcPath, 'may not specify more than 1 volume type per source'))
  })
  return errs
}

/** Checks one source's contents (petset's sources only). */
function validateSource(v: Volume, key: string, path: Path): FieldError[] {
  const errs: FieldError[] = []
  switch (key) {
    case 'emptyDir':
      if (v.emptyDir?.sizeLimit?.trim().startsWith('-'))
        errs.push(forbiddenField(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'))
      break
    case 'hostPath': {
      const hp = v.hostPath!
      if (!hp.path) return [required(path.child('path'))]
      errs.push(...validatePathNoBacksteps(hp.path, path.child('path')))
      if (hp.type !== undefined && !supportedHostPathTypes.includes(hp.type))
        errs.push(notSupported(path.child('type'), hp.type, supportedHostPathTypes))
      break
    }
    case 'secret':
    case 'configMap': {
      const src = key === 'secret' ? v.secret! : v.configMap!
      const name = key === 'secret' ? v.secret!.secretName : v.configMap!.name
      if (!name) errs.push(required(path.child(key === 'secret' ? 'secretName' : 'name')))
      if (badMode(src.defaultMode))
        errs.push(invalidValue(path.child('defaultMode'), src.defaultMode, fileModeErrorMsg))
      ;(src.items ?? []).forEach((kp, i) => {
        errs.push(...validateKeyToPath(kp, path.child('items').index(i)))
      })
      break
    }
    case 'nfs':
      if (!v.nfs!.server) errs.push(required(path.child('server')))
      if (!v.nfs!.path) errs.push(required(path.child('path')))
      if (!(v.nfs!.path ?? '').startsWith('/'))
        errs.push(invalidValue(path.child('path'), v.nfs!.path ?? '', 'must be an absolute path'))
      break
    case 'persistentVolumeClaim':
      if (!v.persistentVolumeClaim!.claimName) errs.push(required(path.child('claimName')))
      break
    case 'downwardAPI': {
      const d = v.downwardAPI!
      if (badMode(d.defaultMode)) errs.push(invalidValue(path.child('defaultMode'), d.defaultMode, fileModeErrorMsg))
      // NOTE: upstream reports item errors under the source path, not items[i]; kept.
      for (const f of d.items ?? []) errs.push(...validateDownwardAPIFile(f, path))
      break
    }
    case 'projected':
      errs.push(...validateProjected(v.projected!, path))
  }
  return errs
}

/** validateVolumeSource: exactly one source, and that source's own rules. */
export function validateVolumeSource(v: Volume, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const record = v as unknown as Record<string, unknown>
  let count = 0
  for (const [key, forbiddenAs] of volumeSources) {
    if (record[key] === undefined || record[key] === null) continue
    if (count > 0) {
      errs.push(forbiddenField(path.child(forbiddenAs), 'may not specify more than 1 volume type'))
      continue
    }
    count++
    errs.push(...validateSource(v, key, path.child(key)))
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'))
  return errs
}

/**
 * ValidateVolumes: each volume valid, names DNS labels and unique. Returns the volumes that
 * passed, by name: mounts may only refer to those (a broken volume makes its mounts "Not found").
 */
export function validateVolumes(
  volumes: Volume[] | undefined,
  path: Path,
): { byName: Map<string, Volume>; errors: FieldError[] } {
  const byName = new Map<string, Volume>()
  const errors: FieldError[] = []
  ;(volumes ?? []).forEach((v, i) => {
    const idx = path.index(i)
    const el = validateVolumeSource(v, idx)
    if (!v.name) el.push(required(idx.child('name')))
    else el.push(...validateDNS1123Label(v.name, idx.child('name')))
    if (byName.has(v.name)) el.push(duplicate(idx.child('name'), v.name))
    if (el.length === 0) byName.set(v.name, v)
    else errors.push(...el)
  })
  return { byName, errors }
}
