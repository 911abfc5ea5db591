/** PodSpec defaulting tests: image tags, pod-level, container, probe and volume defaults. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PodSpec, Volume } from '../../../api/pod.js'
import { defaultPodSpec, imageTag } from './defaults.js'

describe('imageTag (ParseImageName)', () => {
  const cases: [image: string, tag: string][] = [
    ['nginx', 'latest'],
    ['nginx:1.9.1', '1.9.1'],
    ['nginx:latest', 'latest'],
    ['localhost:5000/team/app', 'latest'],
    ['localhost:5000/team/app:v2', 'v2'],
    [`busybox@sha256:${'a'.repeat(64)}`, ''],
    [`busybox:1.36@sha256:${'a'.repeat(64)}`, '1.36'],
    ['Not/Valid', ''],
  ]
  for (const [image, tag] of cases) it(`${image} → ${JSON.stringify(tag)}`, () => assert.equal(imageTag(image), tag))
})

describe('defaultPodSpec', () => {
  it('fills the pod-level defaults and keeps serviceAccount in step', () => {
    const spec: PodSpec = { containers: [{ name: 'c', image: 'busybox' }], serviceAccount: 'robot' }
    defaultPodSpec(spec)
    assert.deepEqual(spec, {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          imagePullPolicy: 'Always',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'robot',
      serviceAccountName: 'robot',
      terminationGracePeriodSeconds: 30,
    })
  })

  it('keeps what the user set, including a zero grace period', () => {
    const spec: PodSpec = {
      containers: [{ name: 'c', image: 'x:1', imagePullPolicy: 'Never' }],
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
    }
    defaultPodSpec(spec)
    assert.equal(spec.restartPolicy, 'Never')
    assert.equal(spec.terminationGracePeriodSeconds, 0)
    assert.equal(spec.containers[0]!.imagePullPolicy, 'Never')
  })

  it('defaults probes, hooks, ports and downward env', () => {
    const spec: PodSpec = {
      initContainers: [{ name: 'i', image: 'x:1', ports: [{ containerPort: 9 }] }],
      containers: [
        {
          name: 'c',
          image: 'x:1',
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
          lifecycle: { preStop: { httpGet: { port: 'http', path: '/stop' } } },
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
      ],
    }
    defaultPodSpec(spec)
    const c = spec.containers[0]!
    assert.deepEqual(c.livenessProbe, {
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    })
    assert.deepEqual(c.readinessProbe, {
      grpc: { port: 9000, service: '' },
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    })
    assert.deepEqual(c.lifecycle, { preStop: { httpGet: { port: 'http', path: '/stop', scheme: 'HTTP' } } })
    assert.deepEqual(c.env, [
      { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    ])
    assert.equal(spec.initContainers![0]!.ports![0]!.protocol, 'TCP')
  })

  const volumeCases: { name: string; volume: Volume; want: Volume }[] = [
    { name: 'no source becomes emptyDir', volume: { name: 'v' }, want: { name: 'v', emptyDir: {} } },
    {
      name: 'configMap mode 420',
      volume: { name: 'v', configMap: { name: 'cm' } },
      want: { name: 'v', configMap: { name: 'cm', defaultMode: 420 } },
    },
    {
      name: 'secret mode 420 (an explicit mode stays)',
      volume: { name: 'v', secret: { secretName: 's', defaultMode: 256 } },
      want: { name: 'v', secret: { secretName: 's', defaultMode: 256 } },
    },
    {
      name: 'hostPath type ""',
      volume: { name: 'v', hostPath: { path: '/data' } },
      want: { name: 'v', hostPath: { path: '/data', type: '' } },
    },
    {
      name: 'downwardAPI mode and fieldRef apiVersion',
      volume: { name: 'v', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      want: {
        name: 'v',
        downwardAPI: {
          defaultMode: 420,
          items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }],
        },
      },
    },
    {
      name: 'projected mode and token expiry',
      volume: { name: 'v', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      want: {
        name: 'v',
        projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] },
      },
    },
    {
      name: 'nfs and pvc have no defaults',
      volume: { name: 'v', persistentVolumeClaim: { claimName: 'data' } },
      want: { name: 'v', persistentVolumeClaim: { claimName: 'data' } },
    },
  ]
  for (const c of volumeCases)
    it(`volumes: ${c.name}`, () => {
      const spec: PodSpec = { containers: [], volumes: [c.volume] }
      defaultPodSpec(spec)
      assert.deepEqual(spec.volumes, [c.want])
    })
})
