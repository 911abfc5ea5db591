/** Pods from templates (upstream GetPodFromTemplate) and the namespace-terminating check. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { StatusError } from '../../machinery/status-error.js'
import { isNamespaceTerminating, podFromTemplate } from './pod-control.js'

const ref = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: 'web',
  uid: 'u',
  controller: true,
  blockOwnerDeletion: true,
}

describe('podFromTemplate', () => {
  it('copies labels, annotations, finalizers and spec; names by generateName; sets the controller', () => {
    const template = {
      metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['x/y'], name: 'ignored' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    }
    assert.deepEqual(podFromTemplate(template, 'web', ref), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: 'web-',
        labels: { app: 'web' },
        annotations: { a: 'b' },
        finalizers: ['x/y'],
        ownerReferences: [ref],
      },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    })
  })

  it('refuses a template without labels', () => {
    assert.throws(() => podFromTemplate({ spec: { containers: [] } }, 'web', ref), /unable to create pods, no labels/)
  })
})

describe('isNamespaceTerminating', () => {
  it('looks for the NamespaceTerminating cause', () => {
    const terminating = new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web-" is forbidden: unable to create new content in namespace ns because it is being terminated',
      details: { causes: [{ reason: 'NamespaceTerminating', field: 'metadata.namespace' }] },
    })
    assert.equal(isNamespaceTerminating(terminating), true)
    assert.equal(isNamespaceTerminating(new Error('x')), false)
  })
})
