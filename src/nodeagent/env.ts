/**
 * A container's environment, as the kubelet builds it (makeEnvironmentVariables): `envFrom`
 * (ConfigMaps and Secrets, with prefix; invalid names skipped and reported), then `env` in order
 * (`value` with `$(VAR)` expansion, ConfigMap/Secret keys, pod fields, resource fields), then the
 * service env vars (`KUBERNETES_SERVICE_HOST`, docker-link `<SVC>_PORT_443_TCP...`) not already
 * defined, and `HOSTNAME`. Pure: the agent fetches the ConfigMaps, Secrets and Services first
 * (`envReferences` says which). Missing non-optional references throw ContainerConfigError with
 * upstream's message, which becomes the `CreateContainerConfigError` waiting message.
 */
import type { ConfigMap, Secret, Service } from '../api/core.js'
import type { Container, Pod } from '../api/pod.js'
import { isEnvVarName } from '../machinery/validation/names.js'
import { podFieldValue, resourceFieldValue } from './volumes/fieldpath.js'

/** A reference the container cannot start without; message as the kubelet words it. */
export class ContainerConfigError extends Error {
  readonly code = 'CreateContainerConfigError'
  constructor(message: string) {
    super(message)
    this.name = 'ContainerConfigError'
  }
}

/** The ConfigMaps and Secrets (by name, in the pod's namespace) a container's env reads. */
export function envReferences(container: Container): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>()
  const secrets = new Set<string>()
  for (const f of container.envFrom ?? []) {
    if (f.configMapRef) configMaps.add(f.configMapRef.name ?? '')
    if (f.secretRef) secrets.add(f.secretRef.name ?? '')
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom?.configMapKeyRef) configMaps.add(e.valueFrom.configMapKeyRef.name ?? '')
    if (e.valueFrom?.secretKeyRef) secrets.add(e.valueFrom.secretKeyRef.name ?? '')
  }
  return { configMaps: [...configMaps], secrets: [...secrets] }
}

/** Everything the environment is computed from. Objects absent from the maps do not exist. */
export interface EnvInput {
  pod: Pod
  container: Container
  configMaps: Map<string, ConfigMap>
  secrets: Map<string, Secret>
  /** Services of the pod's namespace and the `kubernetes` Service of `default`. */
  services: Service[]
  podIPs?: string[]
  hostIPs?: string[]
  /** Node allocatable: resourceFieldRef limits default to it. */
  allocatable?: Record<string, string>
}

/** An event the kubelet records while building the env (InvalidEnvironmentVariableNames). */
export interface EnvWarning {
  reason: string
  message: string
}

/** The resolved environment, in order, and the warnings to record. */
export interface EnvResult {
  env: { name: string; value: string }[]
  warnings: EnvWarning[]
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8')

/** Builds the container's environment; throws ContainerConfigError for missing references. */
export function resolveEnv(input: EnvInput): EnvResult {
  const { pod, container } = input
  const ns = pod.metadata.namespace ?? 'default'
  const warnings: EnvWarning[] = []
  const vars = new Map<string, string>()
  const serviceVars = serviceEnv(input.services, ns, pod.spec.enableServiceLinks !== false)

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef
    if (!ref) continue
    const kind = from.configMapRef ? 'configMap' : 'secret'
    const name = ref.name ?? ''
    const obj = kind === 'configMap' ? input.configMaps.get(name) : input.secrets.get(name)
    if (!obj) {
      if (ref.optional) continue
      throw new ContainerConfigError(`${kind === 'configMap' ? 'configmap' : 'secret'} "${name}" not found`)
    }
    const data = obj.data ?? {}
    const invalid: string[] = []
    for (const [key, raw] of Object.entries(data)) {
      const k = (from.prefix ?? '') + key
      if (isEnvVarName(k).length) invalid.push(k)
      else vars.set(k, kind === 'configMap' ? raw : decode(raw))
    }
    if (invalid.length)
      warnings.push({
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind} ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
      })
  }

  const lookup = (name: string) => vars.get(name) ?? serviceVars.get(name)
  for (const e of container.env ?? []) {
    let value: string | undefined = e.value ?? ''
    if (e.value) value = expandVars(e.value, lookup)
    else if (e.valueFrom) value = fromSource(input, e.valueFrom, ns)
    if (value === undefined) continue // an optional reference that is absent
    vars.set(e.name, value)
  }

  const env = [...vars].map(([name, value]) => ({ name, value }))
  for (const [name, value] of serviceVars) if (!vars.has(name)) env.push({ name, value })
  if (!vars.has('HOSTNAME')) env.unshift({ name: 'HOSTNAME', value: pod.spec.hostname ?? pod.metadata.name ?? '' })
  return { env, warnings }
}

/** One valueFrom; undefined when an optional reference is absent. */
function fromSource(input: EnvInput, src: NonNullable<Container['env']>[number]['valueFrom'] & {}, ns: string) {
  if (src.fieldRef) {
    try {
      return podFieldValue(input.pod, src.fieldRef.fieldPath, { podIPs: input.podIPs, hostIPs: input.hostIPs })
    } catch (e) {
      throw new ContainerConfigError((e as Error).message)
    }
  }
  if (src.resourceFieldRef) {
    const name = src.resourceFieldRef.containerName || input.container.name
    try {
      return resourceFieldValue(input.pod, name, src.resourceFieldRef, input.allocatable ?? {})
    } catch (e) {
      throw new ContainerConfigError((e as Error).message)
    }
  }
  const ref = src.configMapKeyRef ?? src.secretKeyRef
  if (!ref) return ''
  const isConfigMap = !!src.configMapKeyRef
  const name = ref.name ?? ''
  const obj = isConfigMap ? input.configMaps.get(name) : input.secrets.get(name)
  if (!obj) {
    if (ref.optional) return undefined
    throw new ContainerConfigError(`${isConfigMap ? 'configmap' : 'secret'} "${name}" not found`)
  }
  const raw = obj.data?.[ref.key]
  if (raw === undefined) {
    if (ref.optional) return undefined
    throw new ContainerConfigError(
      `couldn't find key ${ref.key} in ${isConfigMap ? 'ConfigMap' : 'Secret'} ${ns}/${name}`,
    )
  }
  return isConfigMap ? raw : decode(raw)
}

/**
 * Kubernetes' `$(VAR)` expansion: known names are replaced, unknown ones stay as written,
 * `$$` is a literal `$`, and an unclosed `$(` is kept.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = ''
  let checkpoint = 0
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) continue
    out += input.slice(checkpoint, i)
    const next = input[i + 1]
    let advance = 1
    if (next === '$') out += '$'
    else if (next === '(') {
      const close = input.indexOf(')', i + 2)
      if (close < 0) out += '$('
      else {
        const name = input.slice(i + 2, close)
        out += lookup(name) ?? `$(${name})`
        advance = close - i
      }
    } else out += `$${next}`
    i += advance
    checkpoint = i + 1
  }
  return out + input.slice(checkpoint)
}

/** Expands `$(VAR)` in command and args with the final environment (kubelet's ExpandContainerCommandAndArgs). */
export function expandCommand(container: Container, env: { name: string; value: string }[]) {
  const map = new Map(env.map(e => [e.name, e.value]))
  const lookup = (n: string) => map.get(n)
  return {
    command: container.command?.map(c => expandVars(c, lookup)),
    args: container.args?.map(a => expandVars(a, lookup)),
  }
}

const envName = (s: string) => s.toUpperCase().replace(/-/g, '_')
const hasClusterIP = (s: Service) => !!s.spec?.clusterIP && s.spec.clusterIP !== 'None'

/**
 * The service env vars: the `kubernetes` Service of `default` always, and every Service of the
 * pod's namespace with a cluster IP when service links are on (envvars.FromServices).
 */
export function serviceEnv(services: Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, Service>()
  for (const s of services) {
    if (!hasClusterIP(s)) continue
    const name = s.metadata.name ?? ''
    if (s.metadata.namespace === 'default' && name === 'kubernetes') {
      if (!chosen.has(name)) chosen.set(name, s)
    } else if (s.metadata.namespace === namespace && enableServiceLinks) chosen.set(name, s)
  }
  const out = new Map<string, string>()
  for (const name of [...chosen.keys()].sort()) {
    const s = chosen.get(name)!
    const ip = s.spec!.clusterIP!
    const ports = s.spec?.ports ?? []
    const prefix = envName(name)
    out.set(`${prefix}_SERVICE_HOST`, ip)
    if (ports[0]) out.set(`${prefix}_SERVICE_PORT`, String(ports[0].port))
    for (const p of ports) if (p.name) out.set(`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port))
    const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)
    ports.forEach((p, i) => {
      const proto = (p.protocol || 'TCP').toLowerCase()
      const url = `${proto}://${hostPort(p.port)}`
      if (i === 0) out.set(`${prefix}_PORT`, url)
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`
      out.set(pp, url)
      out.set(`${pp}_PROTO`, proto)
      out.set(`${pp}_PORT`, String(p.port))
      out.set(`${pp}_ADDR`, ip)
    })
  }
  return out
}
