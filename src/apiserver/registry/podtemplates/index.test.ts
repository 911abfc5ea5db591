/** PodTemplate strategy tests: defaults, validation under `template`, printer. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PodTemplate } from '../../../api/pod.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

function pt(mutate: (p: PodTemplate) => void = () => {}): PodTemplate {
  const p: PodTemplate = {
    metadata: { name: 'tpl', namespace: 'default' },
    template: {
      metadata: { labels: { app: 'x', tier: 'web' } },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    },
  }
  mutate(p)
  strategy.defaults!(p)
  return p
}

describe('PodTemplate', () => {
  it('defaults the template spec', () => {
    const p = pt()
    assert.equal(p.template.spec.restartPolicy, 'Always')
    assert.equal(p.template.spec.containers[0]!.imagePullPolicy, 'Always')
  })

  const cases: { name: string; mutate: (p: PodTemplate) => void; want: string }[] = [
    { name: 'valid', mutate: () => {}, want: '' },
    {
      name: 'the spec is validated under template.spec',
      mutate: p => {
        p.template.spec.containers = []
      },
      want: 'template.spec.containers: Required value',
    },
    {
      name: 'any restartPolicy is allowed',
      mutate: p => {
        p.template.spec.restartPolicy = 'Never'
      },
      want: '',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(fmt(strategy.validate!(pt(c.mutate))), c.want))

  it('prints Name, Containers, Images, Pod Labels', () => {
    const p = strategy.printer!
    assert.deepEqual(
      p.columns.map(c => c.name),
      ['Name', 'Containers', 'Images', 'Pod Labels'],
    )
    assert.deepEqual(p.cells(pt(), 0), ['tpl', 'c', 'busybox', 'app=x,tier=web'])
    assert.deepEqual(
      p.cells(
        pt(x => delete x.template.metadata),
        0,
      ),
      ['tpl', 'c', 'busybox', '<none>'],
    )
  })
})
