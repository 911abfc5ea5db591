/** Deployment strategy tests: defaults, validation messages, selector immutability, status, printer, scale. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Deployment } from '../../../api/apps.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

function deploy(mutate: (d: Deployment) => void = () => {}): Deployment {
  const d: Deployment = {
    metadata: { name: 'nginx', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
      },
    },
  }
  mutate(d)
  strategy.defaults!(d)
  return d
}

describe('Deployment defaults', () => {
  it('fills replicas, strategy, history and progress deadline', () => {
    const d = deploy()
    assert.equal(d.spec.replicas, 1)
    assert.deepEqual(d.spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    })
    assert.equal(d.spec.revisionHistoryLimit, 10)
    assert.equal(d.spec.progressDeadlineSeconds, 600)
    assert.equal(d.spec.template.spec.restartPolicy, 'Always')
  })
  it('leaves Recreate without rollingUpdate', () => {
    assert.deepEqual(deploy(d => (d.spec.strategy = { type: 'Recreate' })).spec.strategy, { type: 'Recreate' })
  })
})

describe('Deployment validation', () => {
  const cases: { name: string; mutate: (d: Deployment) => void; want: string }[] = [
    { name: 'a valid deployment', mutate: () => {}, want: '' },
    {
      name: 'selector required',
      mutate: d => {
        delete d.spec.selector
      },
      want: '[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`]',
    },
    {
      name: 'empty selector',
      mutate: d => {
        d.spec.selector = { matchLabels: {} }
      },
      want: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    },
    {
      name: 'selector must match template labels',
      mutate: d => {
        d.spec.template.metadata!.labels = { app: 'web' }
      },
      want: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    },
    {
      name: 'template restartPolicy Always',
      mutate: d => {
        d.spec.template.spec.restartPolicy = 'OnFailure'
      },
      want: 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    },
    {
      name: 'the pod template is fully validated',
      mutate: d => {
        delete d.spec.template.spec.containers[0]!.image
      },
      want: 'spec.template.spec.containers[0].image: Required value',
    },
    {
      name: 'maxSurge and maxUnavailable both 0',
      mutate: d => {
        d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }
      },
      want: 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    },
    {
      name: 'maxUnavailable above 100%',
      mutate: d => {
        d.spec.strategy = { rollingUpdate: { maxUnavailable: '150%' } }
      },
      want: 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    },
    {
      name: 'Recreate with rollingUpdate',
      mutate: d => {
        d.spec.strategy = { type: 'Recreate', rollingUpdate: {} }
      },
      want: "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    },
    {
      name: 'unknown strategy',
      mutate: d => {
        d.spec.strategy = { type: 'BlueGreen' }
      },
      want: 'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    },
    {
      name: 'progressDeadlineSeconds above minReadySeconds',
      mutate: d => {
        d.spec.minReadySeconds = 600
      },
      want: 'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(fmt(strategy.validate!(deploy(c.mutate))), c.want))

  it('the selector is immutable in apps/v1', () => {
    const old = deploy()
    const next = deploy(d => {
      d.spec.selector = { matchLabels: { app: 'nginx', tier: 'web' } }
      d.spec.template.metadata!.labels = { app: 'nginx', tier: 'web' }
    })
    assert.equal(
      fmt(strategy.validateUpdate!(next, old)),
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx", "tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    )
    assert.equal(
      fmt(
        strategy.validateUpdate!(
          deploy(d => (d.spec.replicas = 3)),
          old,
        ),
      ),
      '',
    )
  })

  it('status counters', () => {
    const next = deploy(d => (d.status = { replicas: 2, readyReplicas: 1, availableReplicas: 2, updatedReplicas: 3 }))
    assert.equal(
      fmt(strategy.validateStatusUpdate!(next, deploy())),
      '[status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas, status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas]',
    )
  })

  it('annotation changes bump the generation', () => {
    const old = deploy(d => (d.metadata.generation = 4))
    const next = deploy(d => (d.metadata.annotations = { 'kubernetes.io/change-cause': 'x' }))
    strategy.prepareForUpdate!(next, old)
    assert.equal(next.metadata.generation, 5)
  })
})

describe('Deployment printer and scale', () => {
  it('prints Ready, Up-to-date, Available, Age and the wide columns', () => {
    const d = deploy(x => {
      x.spec.replicas = 3
      x.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
      x.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 }
    })
    const p = strategy.printer!
    assert.deepEqual(
      p.columns.map(c => `${c.name}:${c.priority}`),
      ['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
    )
    assert.deepEqual(p.cells(d, Date.parse('2025-01-01T05:03:00Z')), [
      'nginx',
      '2/3',
      3,
      2,
      '5h3m',
      'nginx',
      'nginx:1.25',
      'app=nginx',
    ])
  })
  it('scales spec.replicas', () => {
    const d = deploy()
    assert.equal(strategy.scale!.selector(d), 'app=nginx')
    strategy.scale!.setSpecReplicas(d, 0)
    assert.equal(d.spec.replicas, 0)
  })
  it('warns about a name that is not a DNS label', () => {
    assert.deepEqual(strategy.warnings!(deploy(d => (d.metadata.name = 'my.app'))), [
      'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
    ])
  })
})
