import assert from 'node:assert/strict'
import { test } from 'node:test'
import { findTypeErrors, schemaFor } from './index.js'

const sts = () => schemaFor('apps/v1', 'StatefulSet')!

const cases: { name: string; obj: unknown; want: string[] }[] = [
  {
    name: 'a string where an int32 is required',
    obj: { spec: { replicas: '3' } },
    want: ['json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32'],
  },
  {
    name: 'a fraction in an integer field names the number',
    obj: { spec: { template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80.5 }] }] } } } },
    want: [
      'json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
  },
  {
    name: 'an int32 out of range',
    obj: { spec: { replicas: 2 ** 31 } },
    want: ['json: cannot unmarshal number 2147483648 into Go struct field StatefulSetSpec.spec.replicas of type int32'],
  },
  {
    name: 'a number in a string map names the owning struct and the map field',
    obj: { metadata: { labels: { app: 5 } } },
    want: ['json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
  },
  {
    name: 'a string where an object is required',
    obj: { spec: 'x' },
    want: ['json: cannot unmarshal string into Go struct field StatefulSet.spec of type v1.StatefulSetSpec'],
  },
  {
    name: 'an object where a list is required',
    obj: { spec: { template: { spec: { containers: { name: 'a' } } } } },
    want: [
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ],
  },
  {
    name: 'a bool in a string field',
    obj: { spec: { serviceName: true } },
    want: ['json: cannot unmarshal bool into Go struct field StatefulSetSpec.spec.serviceName of type string'],
  },
  {
    name: 'int-or-string accepts both, rejects a bool',
    obj: { spec: { updateStrategy: { rollingUpdate: { maxUnavailable: true, partition: 1 } } } },
    want: [
      'json: cannot unmarshal bool into Go struct field RollingUpdateStatefulSetStrategy.spec.updateStrategy.rollingUpdate.maxUnavailable of type int32',
    ],
  },
  {
    name: 'a malformed quantity',
    obj: { spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1 Gi' } } } }] } },
    want: ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  },
  {
    name: 'a quantity with an unknown suffix',
    obj: { spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Mk' } } } }] } },
    want: ["unable to parse quantity's suffix"],
  },
  {
    name: 'valid values, nulls, numeric quantities and free-form data pass',
    obj: {
      metadata: { name: 'web', labels: null, generation: 3 },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 1, memory: '64Mi' } } }] } },
        updateStrategy: { rollingUpdate: { maxUnavailable: '50%' } },
      },
    },
    want: [],
  },
]

for (const c of cases) {
  test(`type check: ${c.name}`, () => {
    assert.deepEqual(findTypeErrors(c.obj, sts()), c.want)
  })
}

test('type check: Secret data decodes into []uint8', () => {
  assert.deepEqual(findTypeErrors({ data: { a: 1 } }, schemaFor('v1', 'Secret')!), [
    'json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
  ])
})
