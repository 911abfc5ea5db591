/**
 * Warnings the apiserver returns for pods and pod templates (pkg/api/pod/warnings.go): deprecated
 * node labels and annotations, fractional byte quantities, env vars hiding earlier ones,
 * duplicate or overlapping ports, negative grace periods, null affinity selectors.
 * Pure: no I/O.
 */
import type { ObjectMeta } from '../../../api/meta.js'
import type { Container, ContainerPort, PodSpec } from '../../../api/pod.js'
import { Path } from '../../../machinery/field-error.js'
import { parseQuantity, scaledValue } from '../../../machinery/quantity.js'

const deprecatedNodeLabels: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
}

const deprecatedAnnotations: Record<string, string> = {
  'scheduler.alpha.kubernetes.io/critical-pod': 'non-functional in v1.16+; use the "priorityClassName" field instead',
  'security.alpha.kubernetes.io/sysctls': 'non-functional in v1.11+; use the "sysctls" field instead',
  'security.alpha.kubernetes.io/unsafe-sysctls': 'non-functional in v1.11+; use the "sysctls" field instead',
}

/** Builds `<prefix>.<rest>` paths; a Pod has no prefix, a template has e.g. `spec.template`. */
function under(prefix: string | undefined, first: string, ...rest: string[]): Path {
  let p = prefix ? Path.root(prefix).child(first) : Path.root(first)
  for (const r of rest) p = p.child(r)
  return p
}

/** Go's %+v of a ContainerPort, as the hostIP warning prints it. */
const portText = (p: ContainerPort) =>
  `{Name:${p.name ?? ''} HostPort:${p.hostPort ?? 0} ContainerPort:${p.containerPort} Protocol:${p.protocol ?? ''} HostIP:${p.hostIP ?? ''}}`

function fractionalBytes(c: Container, p: Path, out: string[]): void {
  for (const kind of ['limits', 'requests'] as const)
    for (const name of ['memory', 'ephemeral-storage']) {
      const raw = c.resources?.[kind]?.[name]
      if (raw === undefined) continue
      try {
        const q = parseQuantity(raw)
        if (scaledValue(q, -3) % 1000n !== 0n)
          out.push(
            `${p.child('resources', kind).key(name)}: fractional byte value ${JSON.stringify(q.toString())} is invalid, must be an integer`,
          )
      } catch {
        // a malformed quantity is a validation error, not a warning
      }
    }
}

function duplicateEnv(c: Container, p: Path, out: string[]): void {
  const seen = new Set<string>()
  ;(c.env ?? []).forEach((e, i) => {
    if (!seen.has(e.name)) {
      seen.add(e.name)
      return
    }
    const ref = `$(${e.name})`
    const value = e.value ?? ''
    if (e.valueFrom || value === ref || !value.includes(ref))
      out.push(
        `${p.child('env').index(i)}: hides previous definition of ${JSON.stringify(e.name)}, which may be dropped when using apply`,
      )
  })
}

/** Visits init containers then containers with their paths, as podshelper.VisitContainersWithPath. */
function eachContainer(spec: PodSpec, specPath: Path, fn: (c: Container, p: Path) => void): void {
  ;(spec.initContainers ?? []).forEach((c, i) => {
    fn(c, specPath.child('initContainers').index(i))
  })
  ;(spec.containers ?? []).forEach((c, i) => {
    fn(c, specPath.child('containers').index(i))
  })
}

function portWarnings(spec: PodSpec, specPath: Path, out: string[]): void {
  const all = new Map<string, { field: string; port: ContainerPort }[]>()
  eachContainer(spec, specPath, (c, p) => {
    ;(c.ports ?? []).forEach((port, i) => {
      const field = String(p.child('ports').index(i))
      if (port.hostIP && !port.hostPort) out.push(`${field}: hostIP set without hostPort: ${portText(port)}`)
      const key = `${port.containerPort}/${port.protocol ?? ''}`
      const others = all.get(key) ?? []
      for (const o of others) {
        const hp = port.hostPort ?? 0
        const ohp = o.port.hostPort ?? 0
        const a = !port.hostIP
        const b = !o.port.hostIP
        if ((port.hostIP ?? '') === (o.port.hostIP ?? '') && hp === ohp)
          out.push(`${field}: duplicate port definition with ${o.field}`)
        else if (hp === 0 || ohp === 0) out.push(`${field}: overlapping port definition with ${o.field}`)
        else if (hp === ohp && (a || b) && !(a && b))
          out.push(`${field}: dangerously ambiguous port definition with ${o.field}`)
      }
      others.push({ field, port })
      all.set(key, others)
    })
  })
}

/**
 * warningsForPodSpecAndMeta. `prefix` is where the template sits (`spec.template`, `template`),
 * undefined for a Pod.
 */
export function podSpecWarnings(spec: PodSpec, meta: ObjectMeta | undefined, prefix?: string): string[] {
  const out: string[] = []
  const specPath = under(prefix, 'spec')
  for (const k of Object.keys(spec.nodeSelector ?? {}))
    if (deprecatedNodeLabels[k]) out.push(`${specPath.child('nodeSelector').key(k)}: ${deprecatedNodeLabels[k]}`)
  for (const [k, msg] of Object.entries(deprecatedAnnotations))
    if (meta?.annotations && k in meta.annotations)
      out.push(`${under(prefix, 'metadata', 'annotations').key(k)}: ${msg}`)
  const secrets = spec.imagePullSecrets ?? []
  const seenSecrets = new Set<string>()
  secrets.forEach((s, i) => {
    const p = specPath.child('imagePullSecrets').index(i).child('name')
    if (secrets.length > 1 && seenSecrets.has(s.name ?? ''))
      out.push(`${p}: duplicate name ${JSON.stringify(s.name ?? '')}`)
    seenSecrets.add(s.name ?? '')
  })
  secrets.forEach((s, i) => {
    if (!s.name) out.push(`${specPath.child('imagePullSecrets').index(i).child('name')}: invalid empty name ""`)
  })
  eachContainer(spec, specPath, (c, p) => {
    fractionalBytes(c, p, out)
    duplicateEnv(c, p, out)
  })
  portWarnings(spec, specPath, out)
  if ((spec.terminationGracePeriodSeconds ?? 0) < 0)
    out.push(
      `${specPath.child('terminationGracePeriodSeconds')}: must be >= 0; negative values are invalid and will be treated as 1`,
    )
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = spec.affinity?.[kind]
    if (!a) continue
    const base = specPath.child('affinity', kind)
    ;(a.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      if (!t.labelSelector)
        out.push(
          `${base.child('requiredDuringSchedulingIgnoredDuringExecution').index(i).child('labelSelector')}: a null labelSelector results in matching no pod`,
        )
    })
    ;(a.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      if (!t.podAffinityTerm?.labelSelector)
        out.push(
          `${base.child('preferredDuringSchedulingIgnoredDuringExecution').index(i).child('podAffinityTerm', 'labelSelector')}: a null labelSelector results in matching no pod`,
        )
    })
  }
  const hostIPs = new Set<string>()
  ;(spec.hostAliases ?? []).forEach((h, i) => {
    if (hostIPs.has(h.ip))
      out.push(`${specPath.child('hostAliases').index(i).child('ip')}: duplicate ip ${JSON.stringify(h.ip)}`)
    hostIPs.add(h.ip)
  })
  return out
}
