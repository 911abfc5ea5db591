/**
 * Pod strategy tests: pod-only defaults, create status and QoS, create/update/status validation
 * with exact messages, field labels, graceful deletion and binding. Table-driven.
 * NOTE: ~350 lines, one row per upstream rule.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Binding, Pod, ResourceRequirements } from '../../../api/pod.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { computePodQOS, strategy, validateBinding } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

/** A defaulted pod after `mutate`. */
function pod(mutate: (p: Pod) => void = () => {}): Pod {
  const p: Pod = {
    metadata: { name: 'web-0', namespace: 'default', resourceVersion: '1' },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.9.1' }] },
  }
  mutate(p)
  strategy.defaults!(p)
  return p
}

describe('Pod defaults and create', () => {
  it('adds the pod-only defaults', () => {
    const p = pod(x => {
      x.spec.hostNetwork = true
      x.spec.containers[0]!.ports = [{ containerPort: 80 }]
      x.spec.containers[0]!.resources = { limits: { cpu: '1' } }
    })
    assert.equal(p.spec.enableServiceLinks, true)
    assert.deepEqual(p.spec.containers[0]!.resources, { limits: { cpu: '1' }, requests: { cpu: '1' } })
    assert.deepEqual(p.spec.containers[0]!.ports, [{ containerPort: 80, hostPort: 80, protocol: 'TCP' }])
  })

  it('starts Pending with a QoS class, whatever the client sent', () => {
    const p = pod(x => {
      x.status = { phase: 'Running', podIP: '1.2.3.4' }
    })
    strategy.prepareForCreate!(p)
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' })
  })

  it('marks gated pods unschedulable', () => {
    const p = pod(x => {
      x.spec.schedulingGates = [{ name: 'example.com/wait' }]
    })
    strategy.prepareForCreate!(p)
    assert.deepEqual(p.status?.conditions, [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ])
  })

  const qosCases: { name: string; resources: ResourceRequirements[]; want: string }[] = [
    { name: 'nothing requested', resources: [{}], want: 'BestEffort' },
    { name: 'zero requests count as none', resources: [{ requests: { cpu: '0' } }], want: 'BestEffort' },
    { name: 'requests only', resources: [{ requests: { memory: '64Mi' } }], want: 'Burstable' },
    {
      name: 'limits equal requests for cpu and memory',
      resources: [{ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '0.5', memory: '1024Mi' } }],
      want: 'Guaranteed',
    },
    {
      name: 'limits only (requests defaulted from them)',
      resources: [{ limits: { cpu: '1', memory: '1Gi' } }],
      want: 'Guaranteed',
    },
    {
      name: 'one container without limits',
      resources: [{ limits: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '1' } }],
      want: 'Burstable',
    },
    { name: 'cpu limit only', resources: [{ limits: { cpu: '1' } }], want: 'Burstable' },
  ]
  for (const c of qosCases)
    it(`QoS: ${c.name}`, () => {
      const p = pod(x => {
        x.spec.containers = c.resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r }))
      })
      assert.equal(computePodQOS(p), c.want)
    })

  const createCases: { name: string; mutate: (p: Pod) => void; want: string }[] = [
    { name: 'a plain pod', mutate: () => {}, want: '' },
    {
      name: 'image with surrounding spaces',
      mutate: p => {
        p.spec.containers[0]!.image = ' nginx'
      },
      want: 'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
    },
    {
      name: 'token projection without a service account',
      mutate: p => {
        p.spec.volumes = [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }]
      },
      want: 'spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set',
    },
    {
      name: 'nodeName while gated',
      mutate: p => {
        p.spec.nodeName = 'node-1'
        p.spec.schedulingGates = [{ name: 'g' }]
      },
      want: 'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
    },
    {
      name: 'mount of a missing volume',
      mutate: p => {
        p.spec.containers[0]!.volumeMounts = [{ name: 'www', mountPath: '/usr/share/nginx/html' }]
      },
      want: 'spec.containers[0].volumeMounts[0].name: Not found: "www"',
    },
  ]
  for (const c of createCases)
    it(`validate: ${c.name}`, () => assert.equal(fmt(strategy.validate!(pod(c.mutate))), c.want))

  it('warns about names that are not DNS labels', () => {
    const p = pod(x => {
      x.metadata.name = 'web.0'
    })
    assert.deepEqual(strategy.warnings!(p), [
      "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
    ])
  })
})

describe('Pod updates', () => {
  const forbiddenPrefix =
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'
  const cases: { name: string; mutate: (p: Pod) => void; want: string | RegExp }[] = [
    {
      name: 'a new image',
      mutate: p => {
        p.spec.containers[0]!.image = 'nginx:1.10'
      },
      want: '',
    },
    {
      name: 'labels are metadata, not spec',
      mutate: p => {
        p.metadata.labels = { a: 'b' }
      },
      want: '',
    },
    {
      name: 'an added toleration',
      mutate: p => {
        p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]
      },
      want: '',
    },
    {
      name: 'anything else in spec',
      mutate: p => {
        p.spec.restartPolicy = 'Never'
      },
      want: new RegExp(
        `^${forbiddenPrefix.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}  core\\.PodSpec\\{\\n- \\tRestartPolicy: "Always",\\n\\+ \\tRestartPolicy: "Never",\\n`,
      ),
    },
    {
      name: 'adding a container',
      mutate: p => {
        p.spec.containers.push({ name: 'side', image: 'busybox' })
      },
      want: 'spec.containers: Forbidden: pod updates may not add or remove containers',
    },
    {
      name: 'raising activeDeadlineSeconds',
      mutate: p => {
        p.spec.activeDeadlineSeconds = 100
      },
      want: 'spec.activeDeadlineSeconds: Invalid value: 100: must be less than or equal to previous value',
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const old = pod(p => {
        p.spec.activeDeadlineSeconds = 50
      })
      const next = pod(p => {
        p.spec.activeDeadlineSeconds = 50
        c.mutate(p)
      })
      const got = fmt(strategy.validateUpdate!(next, old))
      if (typeof c.want === 'string') assert.equal(got, c.want)
      else assert.match(got, c.want)
    })

  it('may not modify an existing toleration', () => {
    const old = pod(p => {
      p.spec.tolerations = [{ key: 'k', operator: 'Equal', value: 'a', effect: 'NoExecute', tolerationSeconds: 10 }]
    })
    const seconds = pod(p => {
      p.spec.tolerations = [{ key: 'k', operator: 'Equal', value: 'a', effect: 'NoExecute', tolerationSeconds: 5 }]
    })
    assert.equal(fmt(strategy.validateUpdate!(seconds, old)), '')
    const changed = pod(p => {
      p.spec.tolerations = [{ key: 'k', operator: 'Equal', value: 'b', effect: 'NoExecute' }]
    })
    assert.equal(
      fmt(strategy.validateUpdate!(changed, old)),
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    )
  })

  it('keeps status on update and spec, owners and deletion on /status', () => {
    const old = pod(p => {
      p.status = { phase: 'Running', qosClass: 'BestEffort' }
      p.metadata.ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true },
      ]
    })
    const upd = pod(p => {
      p.status = { phase: 'Failed' }
    })
    strategy.prepareForUpdate!(upd, old)
    assert.deepEqual(upd.status, { phase: 'Running', qosClass: 'BestEffort' })
    const st = pod(p => {
      p.spec.nodeName = 'elsewhere'
      p.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] }
      p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z'
    })
    strategy.prepareForStatusUpdate!(st, old)
    assert.equal(st.spec.nodeName, undefined)
    assert.equal(st.metadata.deletionTimestamp, undefined)
    assert.equal(st.metadata.ownerReferences?.[0]?.name, 'web')
    assert.equal(st.status?.qosClass, 'BestEffort')
  })

  const statusCases: { name: string; mutate: (p: Pod) => void; want: string }[] = [
    {
      name: 'a running pod',
      mutate: p => {
        p.status = { phase: 'Running', qosClass: 'BestEffort', hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }] }
      },
      want: '',
    },
    {
      name: 'QoS class is immutable',
      mutate: p => {
        p.status = { phase: 'Running', qosClass: 'Guaranteed' }
      },
      want: 'status.qosClass: Invalid value: "Guaranteed": field is immutable',
    },
    {
      name: 'QUIRK: custom condition types are reported under metadata',
      mutate: p => {
        p.status = { qosClass: 'BestEffort', conditions: [{ type: 'bad type', status: 'True' }] }
      },
      want: `metadata.conditions[0].Type: Invalid value: "bad type": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    },
    {
      name: 'hostIPs must start with hostIP',
      mutate: p => {
        p.status = { qosClass: 'BestEffort', hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.2' }] }
      },
      want: 'status.hostIPs[0].ip: Invalid value: "10.0.0.2": must be equal to `hostIP`',
    },
    {
      name: 'two IPv4 pod IPs',
      mutate: p => {
        p.status = { qosClass: 'BestEffort', podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.1' }] }
      },
      want: '[status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.1"}}: may specify no more than one IP for each IP family, status.podIPs[1]: Duplicate value: core.PodIP{IP:"10.0.0.1"}]',
    },
  ]
  for (const c of statusCases)
    it(`status: ${c.name}`, () => {
      const old = pod(p => {
        p.status = { phase: 'Pending', qosClass: 'BestEffort' }
      })
      assert.equal(fmt(strategy.validateStatusUpdate!(pod(c.mutate), old)), c.want)
    })

  it('status: terminated containers of a Never pod stay terminated', () => {
    const cs = { name: 'nginx', ready: false, restartCount: 0, image: 'x', imageID: '' }
    const old = pod(p => {
      p.spec.restartPolicy = 'Never'
      p.status = { qosClass: 'BestEffort', containerStatuses: [{ ...cs, state: { terminated: { exitCode: 0 } } }] }
    })
    const next = pod(p => {
      p.spec.restartPolicy = 'Never'
      p.status = { qosClass: 'BestEffort', containerStatuses: [{ ...cs, state: { running: {} } }] }
    })
    assert.equal(
      fmt(strategy.validateStatusUpdate!(next, old)),
      'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    )
  })
})

describe('Pod selectors, deletion and binding', () => {
  it('exposes upstream’s field labels', () => {
    const p = pod(x => {
      x.spec.nodeName = 'node-1'
      x.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.7' }] }
    })
    assert.deepEqual(strategy.fieldLabels!(p), {
      'spec.nodeName': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.7',
      'status.nominatedNodeName': '',
    })
  })

  const graceCases: { name: string; mutate: (p: Pod) => void; requested?: number; want: number }[] = [
    { name: 'default from the spec', mutate: p => (p.spec.nodeName = 'n'), want: 30 },
    { name: 'requested value', mutate: p => (p.spec.nodeName = 'n'), requested: 5, want: 5 },
    { name: 'never scheduled: at once', mutate: () => {}, want: 0 },
    {
      name: 'finished: at once',
      mutate: p => {
        p.spec.nodeName = 'n'
        p.status = { phase: 'Succeeded' }
      },
      want: 0,
    },
    { name: 'negative becomes 1', mutate: p => (p.spec.nodeName = 'n'), requested: -1, want: 1 },
  ]
  for (const c of graceCases)
    it(`grace period: ${c.name}`, () => {
      const p = pod(c.mutate)
      const period = c.requested ?? strategy.defaultGracePeriodSeconds!(p) ?? 0
      assert.equal(strategy.checkGracefulDelete!(p, period), c.want)
    })

  const bindingCases: { name: string; target: Binding['target']; want: string }[] = [
    { name: 'a node', target: { kind: 'Node', name: 'node-1' }, want: '' },
    { name: 'kind may be empty', target: { name: 'node-1' }, want: '' },
    {
      name: 'other kinds and no name',
      target: { kind: 'Pod' },
      want: '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]',
    },
  ]
  for (const c of bindingCases)
    it(`binding: ${c.name}`, () => {
      const b: Binding = { metadata: { name: 'web-0' }, target: c.target }
      assert.equal(fmt(validateBinding(b)), c.want)
    })
})
