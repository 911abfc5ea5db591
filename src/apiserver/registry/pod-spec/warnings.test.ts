/** Pod template warning tests, one row per warning upstream emits. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ObjectMeta } from '../../../api/meta.js'
import type { PodSpec } from '../../../api/pod.js'
import { podSpecWarnings } from './warnings.js'

const cases: { name: string; spec: PodSpec; meta?: ObjectMeta; prefix?: string; want: string[] }[] = [
  { name: 'nothing to say', spec: { containers: [{ name: 'c', image: 'x' }] }, want: [] },
  {
    name: 'env hiding an earlier definition',
    spec: {
      containers: [
        {
          name: 'c',
          env: [
            { name: 'A', value: '1' },
            { name: 'A', value: '$(A)2' },
            { name: 'A', value: '3' },
          ],
        },
      ],
    },
    want: ['spec.containers[0].env[2]: hides previous definition of "A", which may be dropped when using apply'],
  },
  {
    name: 'duplicate and overlapping ports across containers',
    spec: {
      containers: [
        { name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }] },
        {
          name: 'b',
          ports: [
            { containerPort: 80, protocol: 'TCP' },
            { containerPort: 80, protocol: 'TCP', hostPort: 8080 },
          ],
        },
      ],
    },
    prefix: 'spec.template',
    want: [
      'spec.template.spec.containers[1].ports[0]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
      'spec.template.spec.containers[1].ports[1]: overlapping port definition with spec.template.spec.containers[0].ports[0]',
      'spec.template.spec.containers[1].ports[1]: overlapping port definition with spec.template.spec.containers[1].ports[0]',
    ],
  },
  {
    name: 'fractional bytes',
    spec: {
      containers: [{ name: 'c', resources: { limits: { memory: '1.5' }, requests: { 'ephemeral-storage': '500m' } } }],
    },
    want: [
      'spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.containers[0].resources.requests[ephemeral-storage]: fractional byte value "500m" is invalid, must be an integer',
    ],
  },
  {
    name: 'negative grace period',
    spec: { containers: [], terminationGracePeriodSeconds: -1 },
    want: ['spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1'],
  },
  {
    name: 'deprecated annotation and node label',
    spec: { containers: [], nodeSelector: { 'failure-domain.beta.kubernetes.io/zone': 'a' } },
    meta: { annotations: { 'scheduler.alpha.kubernetes.io/critical-pod': '' } },
    prefix: 'template',
    want: [
      'template.spec.nodeSelector[failure-domain.beta.kubernetes.io/zone]: deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
      'template.metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
    ],
  },
  {
    name: 'hostIP without hostPort',
    spec: {
      containers: [{ name: 'c', ports: [{ name: 'web', containerPort: 80, protocol: 'TCP', hostIP: '10.0.0.1' }] }],
    },
    want: [
      'spec.containers[0].ports[0]: hostIP set without hostPort: {Name:web HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}',
    ],
  },
  {
    name: 'null pod affinity selector',
    spec: {
      containers: [],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone' }] } },
    },
    want: [
      'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: a null labelSelector results in matching no pod',
    ],
  },
]

describe('podSpecWarnings', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(podSpecWarnings(c.spec, c.meta, c.prefix), c.want))
})
