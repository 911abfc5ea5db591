/**
 * validatePodSpec/validatePodTemplateSpec tests, one row per rule with upstream's exact text.
 * NOTE: ~340 lines, one row per upstream rule.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PodSpec, PodTemplateSpec } from '../../../api/pod.js'
import { type FieldError, formatFieldErrors, Path } from '../../../machinery/field-error.js'
import { defaultPodSpec } from './defaults.js'
import { validatePodSpec, validatePodTemplateSpec } from './validate.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const labelRegex =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

/** A defaulted one-container spec with a `www` volume, changed by `mutate` before defaulting. */
function spec(mutate: (s: PodSpec) => void = () => {}): PodSpec {
  const s: PodSpec = {
    containers: [{ name: 'nginx', image: 'nginx:1.9.1', ports: [{ name: 'web', containerPort: 80 }] }],
    volumes: [{ name: 'www', emptyDir: {} }],
  }
  mutate(s)
  defaultPodSpec(s)
  return s
}

const c0 = (s: PodSpec) => s.containers[0]!

const cases: { name: string; mutate: (s: PodSpec) => void; want: string }[] = [
  { name: 'a valid spec', mutate: () => {}, want: '' },
  {
    name: 'containers are required',
    mutate: s => {
      s.containers = []
    },
    want: 'spec.containers: Required value',
  },
  {
    name: 'image is required',
    mutate: s => {
      delete c0(s).image
    },
    want: 'spec.containers[0].image: Required value',
  },
  {
    name: 'container names are DNS labels',
    mutate: s => {
      c0(s).name = 'Nginx'
    },
    want: `spec.containers[0].name: Invalid value: "Nginx": ${labelRegex}`,
  },
  {
    name: 'container names are unique',
    mutate: s => {
      s.containers.push({ name: 'nginx', image: 'busybox' })
    },
    want: 'spec.containers[1].name: Duplicate value: "nginx"',
  },
  {
    name: 'init container names may not reuse container names',
    mutate: s => {
      s.initContainers = [{ name: 'nginx', image: 'busybox' }]
    },
    want: 'spec.initContainers[0].name: Duplicate value: "nginx"',
  },
  {
    name: 'containerPort range',
    mutate: s => {
      c0(s).ports = [{ containerPort: 70000 }]
    },
    want: 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    name: 'containerPort required',
    mutate: s => {
      c0(s).ports = [{ containerPort: 0 }]
    },
    want: 'spec.containers[0].ports[0].containerPort: Required value',
  },
  {
    name: 'port protocol',
    mutate: s => {
      c0(s).ports = [{ containerPort: 80, protocol: 'HTTP' }]
    },
    want: 'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: 'port names are IANA service names and unique',
    mutate: s => {
      c0(s).ports = [
        { containerPort: 80, name: 'web' },
        { containerPort: 81, name: 'web' },
        { containerPort: 82, name: 'Web_Port' },
      ]
    },
    want: '[spec.containers[0].ports[1].name: Duplicate value: "web", spec.containers[0].ports[2].name: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)]',
  },
  {
    name: 'env names (relaxed rule of 1.32)',
    mutate: s => {
      c0(s).env = [{ name: 'A=B', value: 'x' }, { name: '' }, { name: 'my.env-1', value: 'ok' }]
    },
    want: `[spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '=', spec.containers[0].env[1].name: Required value]`,
  },
  {
    name: 'env valueFrom needs exactly one source',
    mutate: s => {
      c0(s).env = [{ name: 'X', valueFrom: {} }]
    },
    want: 'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
  },
  {
    name: 'env fieldRef paths',
    mutate: s => {
      c0(s).env = [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } }]
    },
    want: 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
  },
  {
    name: 'volumeMounts must name a volume',
    mutate: s => {
      delete s.volumes
      c0(s).volumeMounts = [{ name: 'www', mountPath: '/usr/share/nginx/html' }]
    },
    want: 'spec.containers[0].volumeMounts[0].name: Not found: "www"',
  },
  {
    name: 'mountPath is required and unique',
    mutate: s => {
      c0(s).volumeMounts = [
        { name: 'www', mountPath: '' },
        { name: 'www', mountPath: '/a' },
        { name: 'www', mountPath: '/a' },
      ]
    },
    want: '[spec.containers[0].volumeMounts[0].mountPath: Required value, spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/a": must be unique]',
  },
  {
    name: 'QUIRK: subPath errors sit on the list path',
    mutate: s => {
      c0(s).volumeMounts = [
        { name: 'www', mountPath: '/a', subPath: '../etc' },
        { name: 'www', mountPath: '/b', subPath: '/abs' },
      ]
    },
    want: `[spec.containers[0].volumeMounts.subPath: Invalid value: "../etc": must not contain '..', spec.containers[0].volumeMounts.subPath: Invalid value: "/abs": must be a relative path]`,
  },
  {
    name: 'volume names are DNS labels and unique',
    mutate: s => {
      s.volumes = [
        { name: 'www', emptyDir: {} },
        { name: 'www', emptyDir: {} },
        { name: 'Data', emptyDir: {} },
      ]
    },
    want: `[spec.volumes[1].name: Duplicate value: "www", spec.volumes[2].name: Invalid value: "Data": ${labelRegex}]`,
  },
  {
    name: 'one source per volume',
    mutate: s => {
      s.volumes = [{ name: 'www', emptyDir: {}, hostPath: { path: '/srv' } }]
    },
    want: 'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
  },
  {
    name: 'source contents',
    mutate: s => {
      s.volumes = [
        { name: 'a', configMap: {} },
        { name: 'b', secret: { secretName: 's', defaultMode: 1000 } },
        { name: 'c', persistentVolumeClaim: { claimName: '' } },
        { name: 'd', nfs: { server: 'nfs.local', path: 'exports' } },
        { name: 'e', hostPath: { path: '/srv', type: 'Dir' } },
      ]
    },
    want: '[spec.volumes[0].configMap.name: Required value, spec.volumes[1].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive, spec.volumes[2].persistentVolumeClaim.claimName: Required value, spec.volumes[3].nfs.path: Invalid value: "exports": must be an absolute path, spec.volumes[4].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]',
  },
  {
    name: 'restartPolicy values',
    mutate: s => {
      s.restartPolicy = 'Sometimes'
    },
    want: 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  },
  {
    name: 'dnsPolicy values',
    mutate: s => {
      s.dnsPolicy = 'Cluster'
    },
    want: 'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  },
  {
    name: 'dnsPolicy None needs dnsConfig',
    mutate: s => {
      s.dnsPolicy = 'None'
    },
    want: 'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
  },
  {
    name: 'requests may not exceed limits',
    mutate: s => {
      c0(s).resources = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } }
    },
    want: 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  },
  {
    name: 'quantities are checked',
    mutate: s => {
      c0(s).resources = { limits: { memory: '-1Gi', cpu: 'lots' } }
    },
    want: `[spec.containers[0].resources.limits[cpu]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0]`,
  },
  {
    name: 'resource names',
    mutate: s => {
      c0(s).resources = { limits: { gpu: '1', 'example.com/gpu': '1' }, requests: { 'example.com/gpu': '2' } }
    },
    want: '[spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified, spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers, spec.containers[0].resources.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1]',
  },
  {
    name: 'liveness probes need successThreshold 1 and one handler',
    mutate: s => {
      c0(s).livenessProbe = { httpGet: { port: 80 }, tcpSocket: { port: 80 }, successThreshold: 2 }
    },
    want: '[spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type, spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1]',
  },
  {
    name: 'probe handler required and ports valid',
    mutate: s => {
      c0(s).readinessProbe = { periodSeconds: -1 }
      c0(s).startupProbe = { tcpSocket: { port: 'Web' } }
    },
    want: '[spec.containers[0].readinessProbe: Required value: must specify a handler type, spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0, spec.containers[0].startupProbe.tcpSocket.port: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)]',
  },
  {
    name: 'init containers without restartPolicy Always may not have probes',
    mutate: s => {
      s.initContainers = [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }]
    },
    want: 'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
  },
  {
    name: 'regular containers may not set restartPolicy',
    mutate: s => {
      c0(s).restartPolicy = 'Always'
    },
    want: 'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
  },
  {
    name: 'hostname and subdomain are DNS labels',
    mutate: s => {
      s.hostname = 'web-0'
      s.subdomain = 'nginx.svc'
    },
    want: 'spec.subdomain: Invalid value: "nginx.svc": must not contain dots',
  },
  {
    name: 'nodeSelector is a label map',
    mutate: s => {
      s.nodeSelector = { disk: 'ssd fast' }
    },
    want: `spec.nodeSelector: Invalid value: "ssd fast": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  },
  {
    name: 'tolerations',
    mutate: s => {
      s.tolerations = [
        { key: 'a', operator: 'Exists', value: 'x' },
        { operator: 'Equal', value: 'y' },
        { key: 'b', operator: 'Less' },
        { key: 'c', effect: 'NoSchedule', tolerationSeconds: 5 },
        { key: 'd', effect: 'Never' },
      ]
    },
    want: [
      '[spec.tolerations[0].operator: Invalid value: "x": value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[2].operator: Unsupported value: "Less": supported values: "Equal", "Exists"',
      'spec.tolerations[3].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      'spec.tolerations[4].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"]',
    ].join(', '),
  },
  {
    name: 'node affinity terms',
    mutate: s => {
      s.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
        },
      }
    },
    want: "[spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100]",
  },
]

describe('validatePodSpec', () => {
  for (const c of cases) it(c.name, () => assert.equal(fmt(validatePodSpec(spec(c.mutate), Path.root('spec'))), c.want))

  it('with hostNetwork, a pod needs hostPort == containerPort', () => {
    const s = spec(x => {
      x.hostNetwork = true
      c0(x).ports = [{ containerPort: 80, hostPort: 8080 }]
    })
    const want =
      'spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'
    assert.equal(fmt(validatePodSpec(s, Path.root('spec'), { resourceIsPod: true })), want)
  })

  it('reports a missing grace period and volume source when not defaulted', () => {
    const s: PodSpec = {
      containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      volumes: [{ name: 'v' }],
    }
    assert.equal(
      fmt(validatePodSpec(s, Path.root('spec'))),
      '[spec.terminationGracePeriodSeconds: Required value, spec.volumes[0]: Required value: must specify a volume type]',
    )
  })
})

describe('validatePodTemplateSpec', () => {
  it('QUIRK: reports labels at <path>.labels and validates the spec under <path>.spec', () => {
    const t: PodTemplateSpec = { metadata: { labels: { 'a/b/c': 'x' } }, spec: spec(s => delete c0(s).image) }
    assert.equal(
      fmt(validatePodTemplateSpec(t, Path.root('spec').child('template'))),
      `[spec.template.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), spec.template.spec.containers[0].image: Required value]`,
    )
  })

  it('checks the pod-deletion-cost annotation', () => {
    const t: PodTemplateSpec = {
      metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '+5' } },
      spec: spec(),
    }
    assert.equal(
      fmt(validatePodTemplateSpec(t, Path.root('template'))),
      'template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+5": must be a 32bit integer',
    )
  })
})
