/**
 * StatefulSet strategy tests: the seed `web` defaulted form, every §6.4 rule with its exact
 * message, update mutability, status rules, scale and printer. Table-driven.
 * NOTE: ~480 lines because each upstream rule gets its own row; splitting would scatter the tables.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StatefulSet } from '../../../api/apps.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

/** The seed manifest (S1, with the volume variant), as a user writes it. */
function web(): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'nginx',
      replicas: 2,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.9.1',
              ports: [{ containerPort: 80, name: 'web' }],
              volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  }
}

/** A defaulted copy of the seed after `mutate`. */
function defaulted(mutate: (s: StatefulSet) => void = () => {}): StatefulSet {
  const s = web()
  mutate(s)
  strategy.defaults!(s)
  return s
}

/** The 422 message body for these errors, '' when there are none. */
const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const errorsOf = (s: StatefulSet) => fmt(strategy.validate!(s))

describe('StatefulSet defaults', () => {
  it('gives the seed `web` exactly upstream’s defaulted spec', () => {
    assert.deepEqual(defaulted().spec, {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'nginx' } },
      serviceName: 'nginx',
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'nginx' } },
        spec: {
          containers: [
            {
              image: 'nginx:1.9.1',
              imagePullPolicy: 'IfNotPresent',
              name: 'nginx',
              ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              volumeMounts: [{ mountPath: '/usr/share/nginx/html', name: 'www' }],
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { creationTimestamp: null, name: 'www' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
    })
  })

  const cases: {
    name: string
    mutate: (s: StatefulSet) => void
    expect: (s: StatefulSet) => unknown
    want: unknown
  }[] = [
    {
      name: 'QUIRK: {type: RollingUpdate} alone gets no rollingUpdate',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate' }
      },
      expect: s => s.spec.updateStrategy,
      want: { type: 'RollingUpdate' },
    },
    {
      name: 'an explicit rollingUpdate gets partition 0',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: {} }
      },
      expect: s => s.spec.updateStrategy,
      want: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    },
    {
      name: 'OnDelete is left alone',
      mutate: s => {
        s.spec.updateStrategy = { type: 'OnDelete' }
      },
      expect: s => s.spec.updateStrategy,
      want: { type: 'OnDelete' },
    },
    {
      name: 'maxUnavailable is kept and not defaulted',
      mutate: s => {
        s.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 2 } }
      },
      expect: s => s.spec.updateStrategy,
      want: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 0 } },
    },
    {
      name: 'replicas defaults to 1',
      mutate: s => {
        delete s.spec.replicas
      },
      expect: s => s.spec.replicas,
      want: 1,
    },
    {
      name: 'a half-given retention policy is completed',
      mutate: s => {
        s.spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete' }
      },
      expect: s => s.spec.persistentVolumeClaimRetentionPolicy,
      want: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    },
    {
      name: 'a :latest image is pulled Always',
      mutate: s => {
        s.spec.template.spec.containers[0]!.image = 'nginx'
      },
      expect: s => s.spec.template.spec.containers[0]!.imagePullPolicy,
      want: 'Always',
    },
  ]
  for (const c of cases) it(c.name, () => assert.deepEqual(c.expect(defaulted(c.mutate)), c.want))
})

describe('StatefulSet validation', () => {
  it('accepts the seed', () => assert.deepEqual(strategy.validate!(defaulted()), []))

  const cases: { name: string; mutate: (s: StatefulSet) => void; want: string }[] = [
    {
      name: 'podManagementPolicy',
      mutate: s => {
        s.spec.podManagementPolicy = 'Eventually'
      },
      want: `spec.podManagementPolicy: Invalid value: "Eventually": must be 'OrderedReady' or 'Parallel'`,
    },
    {
      name: 'updateStrategy type',
      mutate: s => {
        s.spec.updateStrategy = { type: 'Sometimes' }
      },
      want: `spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Sometimes", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'`,
    },
    {
      name: 'rollingUpdate with OnDelete',
      mutate: s => {
        s.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }
      },
      want: `spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'`,
    },
    {
      name: 'negative partition',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }
      },
      want: 'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'maxUnavailable 0',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }
      },
      want: 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0',
    },
    {
      name: 'maxUnavailable above 100%',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } }
      },
      want: 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
    },
    {
      name: 'maxUnavailable not a percentage',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'half' } }
      },
      want: `[spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%'), spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: cannot be 0]`,
    },
    {
      name: 'retention policy value',
      mutate: s => {
        s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep', whenScaled: 'Retain' }
      },
      want: 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    },
    {
      name: 'negative replicas',
      mutate: s => {
        s.spec.replicas = -1
      },
      want: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'negative minReadySeconds',
      mutate: s => {
        s.spec.minReadySeconds = -5
      },
      want: 'spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0',
    },
    {
      name: 'negative ordinals.start',
      mutate: s => {
        s.spec.ordinals = { start: -1 }
      },
      want: 'spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'missing selector (also fails to match, as upstream)',
      mutate: s => {
        delete s.spec.selector
      },
      want: '[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`]',
    },
    {
      name: 'empty selector',
      mutate: s => {
        s.spec.selector = {}
      },
      want: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
    },
    {
      name: 'selector not matching the template',
      mutate: s => {
        s.spec.selector = { matchLabels: { app: 'web' } }
      },
      want: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
    },
    {
      name: 'QUIRK: template label syntax is reported without `metadata`',
      mutate: s => {
        s.spec.selector = { matchLabels: { app: 'nginx' } }
        s.spec.template.metadata!.labels = { app: 'nginx', 'bad key!': 'x' }
      },
      want: `spec.template.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    },
    {
      name: 'restartPolicy must be Always',
      mutate: s => {
        s.spec.template.spec.restartPolicy = 'Never'
      },
      want: 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    },
    {
      name: 'activeDeadlineSeconds is forbidden',
      mutate: s => {
        s.spec.template.spec.activeDeadlineSeconds = 10
      },
      want: 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
    },
    {
      name: 'the pod spec itself is not validated (1.32)',
      mutate: s => {
        s.spec.template.spec.containers[0]!.image = ''
        s.spec.template.spec.containers[0]!.volumeMounts = [{ name: 'nope', mountPath: '/x' }]
      },
      want: '',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(errorsOf(defaulted(c.mutate)), c.want))

  it('names are DNS labels', () => {
    assert.deepEqual(strategy.validateName!('web'), [])
    assert.deepEqual(strategy.validateName!('web.v2'), ['must not contain dots'])
  })
})

describe('StatefulSet update validation', () => {
  const forbidden =
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
  const cases: { name: string; mutate: (s: StatefulSet) => void; want: string }[] = [
    {
      name: 'scaling',
      mutate: s => {
        s.spec.replicas = 5
      },
      want: '',
    },
    {
      name: 'a new image',
      mutate: s => {
        s.spec.template.spec.containers[0]!.image = 'nginx:1.10'
      },
      want: '',
    },
    {
      name: 'partition, minReadySeconds, ordinals, retention',
      mutate: s => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }
        s.spec.minReadySeconds = 3
        s.spec.ordinals = { start: 2 }
        s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' }
      },
      want: '',
    },
    {
      name: 'serviceName',
      mutate: s => {
        s.spec.serviceName = 'other'
      },
      want: forbidden,
    },
    {
      name: 'podManagementPolicy',
      mutate: s => {
        s.spec.podManagementPolicy = 'Parallel'
      },
      want: forbidden,
    },
    {
      name: 'volumeClaimTemplates',
      mutate: s => {
        s.spec.volumeClaimTemplates![0]!.spec!.resources = { requests: { storage: '2Gi' } }
      },
      want: forbidden,
    },
    {
      name: 'an invalid new spec fails too',
      mutate: s => {
        s.spec.replicas = -3
      },
      want: 'spec.replicas: Invalid value: -3: must be greater than or equal to 0',
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const old = defaulted()
      assert.equal(fmt(strategy.validateUpdate!(defaulted(c.mutate), old)), c.want)
    })
})

describe('StatefulSet status', () => {
  const cases: {
    name: string
    status: NonNullable<StatefulSet['status']>
    old?: StatefulSet['status']
    want: string
  }[] = [
    { name: 'consistent', status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 }, want: '' },
    {
      name: 'ready above replicas',
      status: { replicas: 1, readyReplicas: 2, availableReplicas: 0 },
      want: 'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    },
    {
      name: 'available above ready',
      status: { replicas: 3, readyReplicas: 1, availableReplicas: 2 },
      want: 'status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas',
    },
    {
      name: 'negative replicas (then every counter exceeds it, as upstream reports)',
      status: { replicas: -1, availableReplicas: -1, readyReplicas: -1, currentReplicas: -1, updatedReplicas: -1 },
      want: '[status.replicas: Invalid value: -1: must be greater than or equal to 0, status.readyReplicas: Invalid value: -1: must be greater than or equal to 0, status.currentReplicas: Invalid value: -1: must be greater than or equal to 0, status.updatedReplicas: Invalid value: -1: must be greater than or equal to 0, status.availableReplicas: Invalid value: -1: must be greater than or equal to 0]',
    },
    {
      name: 'collisionCount cannot go down',
      status: { replicas: 0, collisionCount: 1 },
      old: { replicas: 0, collisionCount: 2 },
      want: 'status.collisionCount: Invalid value: 1: cannot be decremented',
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const next = defaulted(s => {
        s.status = c.status
      })
      const old = defaulted(s => {
        s.status = c.old ?? { replicas: 0 }
      })
      assert.equal(fmt(strategy.validateStatusUpdate!(next, old)), c.want)
    })

  it('create clears status; update keeps it; /status keeps spec', () => {
    const s = defaulted(x => {
      x.status = { replicas: 9 }
    })
    strategy.prepareForCreate!(s)
    assert.deepEqual(s.status, { replicas: 0, availableReplicas: 0 })
    const old = defaulted(x => {
      x.status = { replicas: 2, readyReplicas: 1 }
    })
    const upd = defaulted(x => {
      x.status = { replicas: 7 }
      x.spec.replicas = 4
    })
    strategy.prepareForUpdate!(upd, old)
    assert.deepEqual(upd.status, { replicas: 2, readyReplicas: 1, availableReplicas: 0 })
    strategy.prepareForStatusUpdate!(upd, old)
    assert.equal(upd.spec.replicas, 2)
  })
})

describe('StatefulSet scale and printer', () => {
  it('maps /scale onto spec.replicas, status.replicas and the selector string', () => {
    const s = defaulted(x => {
      x.status = { replicas: 1 }
    })
    const scale = strategy.scale!
    assert.equal(scale.specReplicas(s), 2)
    assert.equal(scale.statusReplicas(s), 1)
    assert.equal(scale.selector(s), 'app=nginx')
    scale.setSpecReplicas(s, 3)
    assert.equal(s.spec.replicas, 3)
  })

  it('prints Name, Ready, Age, Containers, Images', () => {
    const s = defaulted(x => {
      x.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
      x.status = { replicas: 2, readyReplicas: 1 }
    })
    const printer = strategy.printer!
    assert.deepEqual(
      printer.columns.map(c => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Age', 0],
        ['Containers', 1],
        ['Images', 1],
      ],
    )
    assert.deepEqual(printer.cells(s, Date.parse('2025-01-01T00:04:12Z')), [
      'web',
      '1/2',
      '4m12s',
      'nginx',
      'nginx:1.9.1',
    ])
  })

  it('warns about template problems on create', () => {
    const s = defaulted(x => {
      x.spec.template.spec.nodeSelector = { 'beta.kubernetes.io/os': 'linux' }
    })
    assert.deepEqual(strategy.warnings!(s), [
      'spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
    ])
    assert.deepEqual(strategy.warnings!(s, structuredClone(s)), [])
  })
})
