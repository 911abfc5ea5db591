/**
 * Container validation (validateContainers, validateInitContainers, validateContainerCommon of
 * core/validation): names, images, ports, env, mounts, pull policy, resources, security context,
 * probes and hooks. Pure: no I/O.
 */
import type { Container, ContainerPort, EnvFromSource, EnvVar, Volume, VolumeMount } from '../../../api/pod.js'
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notFoundField,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import {
  isConfigMapKey,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from '../../../machinery/validation/names.js'
import {
  envFieldPaths,
  validateLocalDescendingPath,
  validateObjectFieldSelector,
  validateResourceFieldSelector,
} from './field-refs.js'
import { validateDNS1123Label } from './helpers.js'
import { validateLifecycle, validateLivenessProbe, validateReadinessProbe } from './probes.js'
import { validateResourceRequirements } from './resources.js'
import { validateSecurityContext } from './security.js'

const relaxedEnvVarNameMsg =
  "a valid environment variable name must consist only of printable ASCII characters other than '='"

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on by default in 1.32). */
function relaxedEnvVarName(value: string): string[] {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 0x3d) return [relaxedEnvVarNameMsg]
  }
  return []
}

function validatePorts(ports: ContainerPort[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const names = new Set<string>()
  ;(ports ?? []).forEach((port, i) => {
    const p = path.index(i)
    if (port.name) {
      const msgs = isValidPortName(port.name)
      if (msgs.length) for (const m of msgs) errs.push(invalidValue(p.child('name'), port.name, m))
      else if (names.has(port.name)) errs.push(duplicate(p.child('name'), port.name))
      else names.add(port.name)
    }
    if (!port.containerPort) errs.push(required(p.child('containerPort')))
    else
      for (const m of isValidPortNum(port.containerPort))
        errs.push(invalidValue(p.child('containerPort'), port.containerPort, m))
    if (port.hostPort)
      for (const m of isValidPortNum(port.hostPort)) errs.push(invalidValue(p.child('hostPort'), port.hostPort, m))
    if (!port.protocol) errs.push(required(p.child('protocol')))
    else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol))
      errs.push(notSupported(p.child('protocol'), port.protocol, ['SCTP', 'TCP', 'UDP']))
  })
  return errs
}

function validateKeyRef(ref: { name?: string; key: string }, path: Path): FieldError[] {
  const errs = nameIsDNSSubdomain(ref.name ?? '', false).map(m => invalidValue(path.child('name'), ref.name ?? '', m))
  if (!ref.key) errs.push(required(path.child('key')))
  else for (const m of isConfigMapKey(ref.key)) errs.push(invalidValue(path.child('key'), ref.key, m))
  return errs
}

function validateEnvValueFrom(ev: EnvVar, path: Path): FieldError[] {
  const from = ev.valueFrom
  if (!from) return []
  const errs: FieldError[] = []
  let n = 0
  if (from.fieldRef) {
    n++
    errs.push(...validateObjectFieldSelector(from.fieldRef, envFieldPaths, path.child('fieldRef')))
  }
  if (from.resourceFieldRef) {
    n++
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, path.child('resourceFieldRef'), false))
  }
  if (from.configMapKeyRef) {
    n++
    errs.push(...validateKeyRef(from.configMapKeyRef, path.child('configMapKeyRef')))
  }
  if (from.secretKeyRef) {
    n++
    errs.push(...validateKeyRef(from.secretKeyRef, path.child('secretKeyRef')))
  }
  if (n === 0)
    errs.push(
      invalidValue(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    )
  else if (ev.value) errs.push(invalidValue(path, '', 'may not be specified when `value` is not empty'))
  else if (n > 1) errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'))
  return errs
}

function validateEnv(env: EnvVar[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(env ?? []).forEach((ev, i) => {
    const p = path.index(i)
    if (!ev.name) errs.push(required(p.child('name')))
    else for (const m of relaxedEnvVarName(ev.name)) errs.push(invalidValue(p.child('name'), ev.name, m))
    errs.push(...validateEnvValueFrom(ev, p.child('valueFrom')))
  })
  return errs
}

function validateEnvFrom(envFrom: EnvFromSource[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(envFrom ?? []).forEach((ef, i) => {
    const p = path.index(i)
    if (ef.prefix)
      for (const m of relaxedEnvVarName(ef.prefix)) errs.push(invalidValue(p.child('prefix'), ef.prefix, m))
    let n = 0
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ef[kind]
      if (!ref) continue
      n++
      if (!ref.name) errs.push(required(p.child(kind, 'name')))
      else
        for (const m of nameIsDNSSubdomain(ref.name, true)) errs.push(invalidValue(p.child(kind, 'name'), ref.name, m))
    }
    // NOTE: upstream reports these two at the list path, not at envFrom[i]; kept.
    if (n === 0) errs.push(invalidValue(path, '', 'must specify one of: `configMapRef` or `secretRef`'))
    else if (n > 1) errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'))
  })
  return errs
}

function validateMounts(
  c: Container,
  mounts: VolumeMount[] | undefined,
  volumes: Map<string, Volume>,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = []
  const mountPoints = new Set<string>()
  ;(mounts ?? []).forEach((m, i) => {
    const p = path.index(i)
    if (!m.name) errs.push(required(p.child('name')))
    if (!volumes.has(m.name)) errs.push(notFoundField(p.child('name'), m.name ?? ''))
    if (!m.mountPath) errs.push(required(p.child('mountPath')))
    if (mountPoints.has(m.mountPath)) errs.push(invalidValue(p.child('mountPath'), m.mountPath, 'must be unique'))
    mountPoints.add(m.mountPath)
    // NOTE: upstream reports subPath, subPathExpr, mountPropagation and recursiveReadOnly under
    // the volumeMounts list path (no index); kept.
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, path.child('subPath')))
    if (m.subPathExpr) {
      if (m.subPath)
        errs.push(invalidValue(p.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'))
      errs.push(...validateLocalDescendingPath(m.subPathExpr, path.child('subPathExpr')))
    }
    if (m.mountPropagation !== undefined) {
      const supported = ['Bidirectional', 'HostToContainer', 'None']
      if (!supported.includes(m.mountPropagation))
        errs.push(notSupported(path.child('mountPropagation'), m.mountPropagation, supported))
      if (m.mountPropagation === 'Bidirectional' && c.securityContext?.privileged !== true)
        errs.push(
          forbiddenField(
            path.child('mountPropagation'),
            'Bidirectional mount propagation is available only to privileged containers',
          ),
        )
    }
    errs.push(...validateRecursiveReadOnly(m, path.child('recursiveReadOnly')))
  })
  return errs
}

function validateRecursiveReadOnly(m: VolumeMount, path: Path): FieldError[] {
  const rro = m.recursiveReadOnly
  if (rro === undefined || rro === 'Disabled') return []
  if (rro !== 'Enabled' && rro !== 'IfPossible') return [notSupported(path, rro, ['Disabled', 'Enabled', 'IfPossible'])]
  const errs: FieldError[] = []
  if (!m.readOnly) errs.push(forbiddenField(path, 'may only be specified when readOnly is true'))
  if (m.mountPropagation !== undefined && m.mountPropagation !== 'None')
    errs.push(forbiddenField(path, 'may only be specified when mountPropagation is None or not specified'))
  return errs
}

/** validateContainerCommon: what every container kind must satisfy. */
function validateContainerCommon(c: Container, volumes: Map<string, Volume>, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!c.name) errs.push(required(path.child('name')))
  else errs.push(...validateDNS1123Label(c.name, path.child('name')))
  if (!c.image) errs.push(required(path.child('image')))
  const tmp = c.terminationMessagePolicy
  if (!tmp) errs.push(required(path.child('terminationMessagePolicy')))
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupported(path.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']))
  errs.push(...validatePorts(c.ports, path.child('ports')))
  errs.push(...validateEnv(c.env, path.child('env')))
  errs.push(...validateEnvFrom(c.envFrom, path.child('envFrom')))
  errs.push(...validateMounts(c, c.volumeMounts, volumes, path.child('volumeMounts')))
  const pull = c.imagePullPolicy
  if (!pull) errs.push(required(path.child('imagePullPolicy')))
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull))
    errs.push(notSupported(path.child('imagePullPolicy'), pull, ['Always', 'IfNotPresent', 'Never']))
  errs.push(...validateResourceRequirements(c.resources, path.child('resources')))
  errs.push(...validateSecurityContext(c.securityContext, path.child('securityContext')))
  return errs
}

/** AccumulateUniqueHostPorts: one protocol/hostIP/hostPort triple per list. */
function checkHostPortConflicts(containers: Container[], path: Path): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  containers.forEach((c, ci) => {
    ;(c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key))
      else seen.add(key)
    })
  })
  return errs
}

/** validateContainers: at least one, unique names, probes and hooks, no restartPolicy. */
export function validateContainers(
  containers: Container[] | undefined,
  volumes: Map<string, Volume>,
  gracePeriod: number | undefined,
  path: Path,
): FieldError[] {
  if (!containers || containers.length === 0) return [required(path)]
  const errs: FieldError[] = []
  const names = new Set<string>()
  containers.forEach((c, i) => {
    const p = path.index(i)
    errs.push(...validateContainerCommon(c, volumes, p))
    if (names.has(c.name)) errs.push(duplicate(p.child('name'), c.name))
    else names.add(c.name)
    if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, p.child('lifecycle')))
    errs.push(...validateLivenessProbe(c.livenessProbe, gracePeriod, p.child('livenessProbe')))
    errs.push(...validateReadinessProbe(c.readinessProbe, gracePeriod, p.child('readinessProbe')))
    errs.push(...validateLivenessProbe(c.startupProbe, gracePeriod, p.child('startupProbe')))
    if (c.restartPolicy !== undefined)
      errs.push(forbiddenField(p.child('restartPolicy'), 'may not be set for non-init containers'))
  })
  return errs.concat(checkHostPortConflicts(containers, path))
}

/** validateInitContainers: names unique across both lists; hooks and probes only for sidecars. */
export function validateInitContainers(
  inits: Container[] | undefined,
  regular: Container[] | undefined,
  volumes: Map<string, Volume>,
  gracePeriod: number | undefined,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = []
  const names = new Set((regular ?? []).map(c => c.name))
  ;(inits ?? []).forEach((c, i) => {
    const p = path.index(i)
    errs.push(...validateContainerCommon(c, volumes, p))
    let sidecar = false
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy !== 'Always') errs.push(notSupported(p.child('restartPolicy'), c.restartPolicy, ['Always']))
      sidecar = c.restartPolicy === 'Always'
    }
    if (names.has(c.name)) errs.push(duplicate(p.child('name'), c.name))
    else if (c.name) names.add(c.name)
    errs.push(...checkHostPortConflicts([c], path))
    if (sidecar) {
      if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, p.child('lifecycle')))
      errs.push(...validateLivenessProbe(c.livenessProbe, gracePeriod, p.child('livenessProbe')))
      errs.push(...validateReadinessProbe(c.readinessProbe, gracePeriod, p.child('readinessProbe')))
      errs.push(...validateLivenessProbe(c.startupProbe, gracePeriod, p.child('startupProbe')))
    } else {
      const msg = 'may not be set for init containers without restartPolicy=Always'
      for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const)
        if (c[key]) errs.push(forbiddenField(p.child(key), msg))
    }
  })
  return errs
}
