/**
 * core/v1 defaulting of a PodSpec, as upstream's defaults.go plus the generated defaulters
 * apply it to every kind that embeds one (Pod, PodTemplate, StatefulSet, Deployment, ReplicaSet).
 * Pod-only defaults (enableServiceLinks, requests from limits) live in pods/.
 * Mutates in place; pure otherwise: no I/O.
 */
import type {
  Container,
  DownwardAPIVolumeFile,
  EnvVar,
  HTTPGetAction,
  Lifecycle,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Volume,
} from '../../../api/pod.js'

/** v1.TerminationMessagePathDefault. */
export const TerminationMessagePathDefault = '/dev/termination-log'
/** v1.DefaultSchedulerName. */
export const DefaultSchedulerName = 'default-scheduler'
/** v1.DefaultTerminationGracePeriodSeconds. */
export const DefaultTerminationGracePeriodSeconds = 30
/** Secret/ConfigMap/DownwardAPI/Projected default file mode, 0644. */
export const DefaultVolumeFileMode = 420

// Docker reference grammar (distribution/reference), enough to find the tag and digest.
const domainComp = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const domain = `(?:${domainComp}(?:\\.${domainComp})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`
const pathComp = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const repo = `(?:${domain}/)?${pathComp}(?:/${pathComp})*`
const tagFmt = '[\\w][\\w.-]{0,127}'
const digestFmt = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}'
const referenceRe = new RegExp(`^(${repo})(?::(${tagFmt}))?(?:@(${digestFmt}))?$`)

/**
 * parsers.ParseImageName's tag: the explicit tag, "latest" when neither tag nor digest is given,
 * "" when only a digest is given or the reference does not parse.
 */
export function imageTag(image: string): string {
  const m = referenceRe.exec(image)
  if (!m) return ''
  const [, , tag, digest] = m
  if (tag) return tag
  return digest ? '' : 'latest'
}

/** SetDefaults_Container's pull policy: Always for `:latest` (or untagged), else IfNotPresent. */
export const defaultPullPolicy = (image: string | undefined) =>
  imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent'

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) return
  if (!h.path) h.path = '/'
  if (!h.scheme) h.scheme = 'HTTP'
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return
  if (!p.timeoutSeconds) p.timeoutSeconds = 1
  if (!p.periodSeconds) p.periodSeconds = 10
  if (!p.successThreshold) p.successThreshold = 1
  if (!p.failureThreshold) p.failureThreshold = 3
  defaultHTTPGet(p.httpGet)
  if (p.grpc && p.grpc.service === undefined) p.grpc.service = ''
}

function defaultLifecycle(l: Lifecycle | undefined): void {
  defaultHTTPGet(l?.postStart?.httpGet)
  defaultHTTPGet(l?.preStop?.httpGet)
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const e of env ?? []) {
    const ref = e.valueFrom?.fieldRef
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1'
  }
}

/** SetDefaults_Container plus the generated defaults of its ports, env, probes and lifecycle. */
export function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image)
  if (!c.terminationMessagePath) c.terminationMessagePath = TerminationMessagePathDefault
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File'
  // Go always encodes the resources struct, so stored containers carry `resources: {}`.
  if (!c.resources) c.resources = {}
  for (const p of c.ports ?? []) if (!p.protocol) p.protocol = 'TCP'
  defaultEnv(c.env)
  defaultProbe(c.livenessProbe)
  defaultProbe(c.readinessProbe)
  defaultProbe(c.startupProbe)
  defaultLifecycle(c.lifecycle)
}

function defaultDownwardFiles(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const f of items ?? []) if (f.fieldRef && !f.fieldRef.apiVersion) f.fieldRef.apiVersion = 'v1'
}

/** SetDefaults_Volume and the per-source defaults (modes 420, hostPath type "", token expiry 3600). */
export function defaultVolume(v: Volume): void {
  // A volume naming no source at all becomes an emptyDir; one naming a source petset does not
  // implement stays as it is, and validation reports it.
  const record = v as unknown as Record<string, unknown>
  const hasSource = Object.keys(record).some(k => k !== 'name' && record[k] !== undefined && record[k] !== null)
  if (!hasSource) v.emptyDir = {}
  if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = DefaultVolumeFileMode
  if (v.configMap && v.configMap.defaultMode === undefined) v.configMap.defaultMode = DefaultVolumeFileMode
  if (v.downwardAPI) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = DefaultVolumeFileMode
    defaultDownwardFiles(v.downwardAPI.items)
  }
  if (v.projected) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = DefaultVolumeFileMode
    for (const s of v.projected.sources ?? []) {
      defaultDownwardFiles(s.downwardAPI?.items)
      if (s.serviceAccountToken && s.serviceAccountToken.expirationSeconds === undefined)
        s.serviceAccountToken.expirationSeconds = 3600
    }
  }
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = ''
}

/**
 * SetDefaults_PodSpec (restartPolicy Always, dnsPolicy ClusterFirst, securityContext {},
 * terminationGracePeriodSeconds 30, schedulerName default-scheduler) plus the generated defaults
 * of containers, init containers and volumes, and the v1 conversion that keeps the deprecated
 * `serviceAccount` equal to `serviceAccountName`.
 */
export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst'
  if (!spec.restartPolicy) spec.restartPolicy = 'Always'
  if (!spec.securityContext) spec.securityContext = {}
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null)
    spec.terminationGracePeriodSeconds = DefaultTerminationGracePeriodSeconds
  if (!spec.schedulerName) spec.schedulerName = DefaultSchedulerName
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName
  for (const v of spec.volumes ?? []) defaultVolume(v)
  for (const c of spec.initContainers ?? []) defaultContainer(c)
  for (const c of spec.containers ?? []) defaultContainer(c)
}

/**
 * Defaults the spec of a pod template, and gives its metadata the `creationTimestamp: null`
 * Go encodes for an unset time (it is part of what kubectl shows and what revisions hash).
 */
export function defaultPodTemplateSpec(t: PodTemplateSpec | undefined): void {
  if (!t) return
  if (!t.metadata) t.metadata = {}
  if (!('creationTimestamp' in t.metadata)) (t.metadata as Record<string, unknown>).creationTimestamp = null
  if (!t.spec) t.spec = { containers: [] }
  defaultPodSpec(t.spec)
}
