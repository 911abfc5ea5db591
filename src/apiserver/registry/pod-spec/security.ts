/**
 * Security-context validation for containers and pods (ValidateSecurityContext,
 * validatePodSpecSecurityContext): id ranges, procMount, seccomp, sysctls. Windows and AppArmor
 * options are not part of petset's types and are not checked. Pure: no I/O.
 */
import type { PodSecurityContext, SeccompProfile, SecurityContext } from '../../../api/pod.js'
import {
  duplicate,
  type FieldError,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { inclusiveRangeError } from '../../../machinery/validation/names.js'
import { validateLocalDescendingPath } from './field-refs.js'

const maxId = 2147483647

/** IsValidUserID / IsValidGroupID: 0..2^31-1. */
function validateId(id: number | undefined, path: Path): FieldError[] {
  if (id === undefined || (id >= 0 && id <= maxId)) return []
  return [invalidValue(path, id, inclusiveRangeError(0, maxId))]
}

/** validateSeccompProfileField. */
export function validateSeccompProfile(sp: SeccompProfile | undefined, path: Path): FieldError[] {
  if (!sp) return []
  const errs: FieldError[] = []
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined']
  if (!sp.type) errs.push(required(path.child('type'), 'type is required when seccompProfile is set'))
  else if (!types.includes(sp.type)) errs.push(notSupported(path.child('type'), sp.type, types))
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined)
      errs.push(required(path.child('localhostProfile'), 'must be set when seccomp type is Localhost'))
    else errs.push(...validateLocalDescendingPath(sp.localhostProfile, path.child('localhostProfile')))
  } else if (sp.localhostProfile !== undefined) {
    errs.push(invalidValue(path.child('localhostProfile'), sp, 'can only be set when seccomp type is Localhost'))
  }
  return errs
}

/** ValidateSecurityContext for one container (privileged is allowed: petset runs --allow-privileged). */
export function validateSecurityContext(sc: SecurityContext | undefined, path: Path): FieldError[] {
  if (!sc) return []
  const errs = [
    ...validateId(sc.runAsUser, path.child('runAsUser')),
    ...validateId(sc.runAsGroup, path.child('runAsGroup')),
  ]
  if (sc.procMount !== undefined) {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked')
      errs.push(notSupported(path.child('procMount'), sc.procMount, ['Default', 'Unmasked']))
    // Pods always share the host user namespace in petset (no hostUsers: false).
    if (sc.procMount === 'Unmasked')
      errs.push(invalidValue(path.child('procMount'), sc.procMount, '`hostUsers` must be false to use `Unmasked`'))
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile')))
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true)
      errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'))
    for (const cap of sc.capabilities?.add ?? [])
      if (cap === 'CAP_SYS_ADMIN')
        errs.push(
          invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'),
        )
  }
  return errs
}

const sysctlSegment = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?'
const sysctlRe = new RegExp(`^(${sysctlSegment}[\\./])*${sysctlSegment}$`)

/** validatePodSpecSecurityContext. */
export function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: Path): FieldError[] {
  if (!sc) return []
  const errs = [
    ...validateId(sc.fsGroup, path.child('fsGroup')),
    ...validateId(sc.runAsUser, path.child('runAsUser')),
    ...validateId(sc.runAsGroup, path.child('runAsGroup')),
  ]
  ;(sc.supplementalGroups ?? []).forEach((g, i) => {
    errs.push(...validateId(g, path.child('supplementalGroups').index(i)))
  })
  const names = new Set<string>()
  ;(sc.sysctls ?? []).forEach((s, i) => {
    const p = path.child('sysctls').index(i).child('name')
    if (!s.name) errs.push(required(p))
    else if (s.name.length > 253 || !sysctlRe.test(s.name))
      errs.push(invalidValue(p, s.name, `must have at most 253 characters and match regex ${sysctlRe.source}`))
    else if (names.has(s.name)) errs.push(duplicate(p, s.name))
    names.add(s.name)
  })
  if (sc.fsGroupChangePolicy !== undefined && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy))
    errs.push(notSupported(path.child('fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']))
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile')))
  return errs
}
