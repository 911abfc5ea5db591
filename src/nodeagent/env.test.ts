/** Env resolution: every source, optional and missing references, expansion, envFrom prefixes, service links. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConfigMap, Secret, Service } from '../api/core.js'
import type { Container, Pod } from '../api/pod.js'
import { envReferences, expandCommand, expandVars, resolveEnv, serviceEnv } from './env.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const cm: ConfigMap = {
  metadata: { name: 'special-config' },
  data: { 'special.how': 'very', 'bad key': 'x', LEVEL: '3' },
}
const secret: Secret = { metadata: { name: 'mysecret' }, data: { username: b64('admin'), PASSWORD: b64('pw') } }
const kubernetes: Service = {
  metadata: { name: 'kubernetes', namespace: 'default' },
  spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
}
const redis: Service = {
  metadata: { name: 'redis-master', namespace: 'prod' },
  spec: { clusterIP: '10.96.0.11', ports: [{ port: 6379 }] },
}
const headless: Service = {
  metadata: { name: 'nginx', namespace: 'prod' },
  spec: { clusterIP: 'None', ports: [{ port: 80 }] },
}

const pod = (container: Container, spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'web-0', namespace: 'prod', uid: 'u1', labels: { app: 'web' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [container], ...spec },
})

function resolve(container: Partial<Container>, spec: Partial<Pod['spec']> = {}) {
  const c = { name: 'app', ...container } as Container
  return resolveEnv({
    pod: pod(c, spec),
    container: c,
    configMaps: new Map([['special-config', cm]]),
    secrets: new Map([['mysecret', secret]]),
    services: [kubernetes, redis, headless],
    podIPs: ['10.244.1.5'],
    hostIPs: ['192.168.1.10'],
    allocatable: { cpu: '4', memory: '8Gi' },
  })
}
const userEnv = (r: ReturnType<typeof resolve>) =>
  Object.fromEntries(
    r.env.filter(e => !/_SERVICE_|_PORT/.test(e.name) && e.name !== 'HOSTNAME').map(e => [e.name, e.value]),
  )

describe('resolveEnv', () => {
  const cases: { name: string; env: Container['env']; want?: Record<string, string>; error?: string }[] = [
    { name: 'plain values', env: [{ name: 'A', value: '1' }], want: { A: '1' } },
    {
      name: 'configMapKeyRef',
      env: [
        { name: 'SPECIAL_LEVEL_KEY', valueFrom: { configMapKeyRef: { name: 'special-config', key: 'special.how' } } },
      ],
      want: { SPECIAL_LEVEL_KEY: 'very' },
    },
    {
      name: 'secretKeyRef is decoded',
      env: [{ name: 'USER', valueFrom: { secretKeyRef: { name: 'mysecret', key: 'username' } } }],
      want: { USER: 'admin' },
    },
    {
      name: 'missing ConfigMap',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }],
      error: 'configmap "x" not found',
    },
    {
      name: 'missing key in ConfigMap',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'special-config', key: 'y' } } }],
      error: "couldn't find key y in ConfigMap prod/special-config",
    },
    {
      name: 'missing Secret',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      error: 'secret "s" not found',
    },
    {
      name: 'missing key in Secret',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'mysecret', key: 'k' } } }],
      error: "couldn't find key k in Secret prod/mysecret",
    },
    {
      name: 'optional references are skipped',
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'x', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'mysecret', key: 'k', optional: true } } },
        { name: 'C', value: 'c' },
      ],
      want: { C: 'c' },
    },
    {
      name: 'fieldRefs',
      env: [
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST_IPS', valueFrom: { fieldRef: { fieldPath: 'status.hostIPs' } } },
      ],
      want: {
        NAME: 'web-0',
        NS: 'prod',
        UID: 'u1',
        APP: 'web',
        NODE: 'node-1',
        SA: 'default',
        POD_IP: '10.244.1.5',
        HOST_IPS: '192.168.1.10',
      },
    },
    {
      name: 'resourceFieldRef with divisor and node-allocatable default',
      env: [
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
      want: { MEM: '8192', CPU: '4' },
    },
    {
      name: '$(VAR) expansion from earlier vars and services; unknown kept; $$ escapes',
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', value: '$(A)-$(REDIS_MASTER_SERVICE_HOST)-$(NOPE)-$$(A)' },
        { name: 'C', value: '$(B)!' },
      ],
      want: { A: 'x', B: 'x-10.96.0.11-$(NOPE)-$(A)', C: 'x-10.96.0.11-$(NOPE)-$(A)!' },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      if (c.error)
        return assert.throws(() => resolve({ env: c.env }), { message: c.error, code: 'CreateContainerConfigError' })
      assert.deepEqual(userEnv(resolve({ env: c.env })), c.want)
    })

  it('envFrom with prefix; env overrides; invalid names skipped with a warning', () => {
    const r = resolve({
      envFrom: [{ configMapRef: { name: 'special-config' } }, { prefix: 'S_', secretRef: { name: 'mysecret' } }],
      env: [{ name: 'LEVEL', value: 'override' }],
    })
    assert.deepEqual(userEnv(r), { 'special.how': 'very', LEVEL: 'override', S_username: 'admin', S_PASSWORD: 'pw' })
    assert.deepEqual(r.warnings, [
      {
        reason: 'InvalidEnvironmentVariableNames',
        message:
          'Keys [bad key] from the EnvFrom configMap prod/special-config were skipped since they are considered invalid environment variable names.',
      },
    ])
  })

  it('envFrom of a missing object fails unless optional', () => {
    assert.throws(() => resolve({ envFrom: [{ configMapRef: { name: 'nope' } }] }), {
      message: 'configmap "nope" not found',
    })
    assert.deepEqual(userEnv(resolve({ envFrom: [{ secretRef: { name: 'nope', optional: true } }] })), {})
  })

  it('service links: kubernetes always, namespace services unless disabled; HOSTNAME first', () => {
    const on = resolve({})
    assert.deepEqual(on.env[0], { name: 'HOSTNAME', value: 'web-0' })
    const names = on.env.map(e => e.name)
    assert.ok(names.includes('KUBERNETES_SERVICE_HOST'))
    assert.ok(names.includes('REDIS_MASTER_PORT_6379_TCP_ADDR'))
    assert.ok(!names.some(n => n.startsWith('NGINX_')), 'headless services get no env vars')
    const off = resolve({}, { enableServiceLinks: false, hostname: 'h' })
    assert.deepEqual(off.env[0], { name: 'HOSTNAME', value: 'h' })
    assert.ok(off.env.some(e => e.name === 'KUBERNETES_SERVICE_HOST'))
    assert.ok(!off.env.some(e => e.name.startsWith('REDIS_')))
  })
})

describe('serviceEnv', () => {
  it('produces the docker-link variables of the kubernetes Service', () => {
    assert.deepEqual(Object.fromEntries(serviceEnv([kubernetes], 'default', true)), {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    })
  })
})

describe('expandVars', () => {
  const vars: Record<string, string> = { A: 'a', EMPTY: '' }
  const cases: [string, string][] = [
    ['$(A)', 'a'],
    ['x$(A)y', 'xay'],
    ['$(EMPTY)', ''],
    ['$(B)', '$(B)'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['a$', 'a$'],
    ['$()', '$()'],
  ]
  for (const [input, want] of cases)
    it(`${input} → ${want}`, () =>
      assert.equal(
        expandVars(input, n => vars[n]),
        want,
      ))

  it('expands command and args with the final env', () => {
    const c = { name: 'c', command: ['echo', '$(A)'], args: ['$(B)'] }
    assert.deepEqual(expandCommand(c, [{ name: 'A', value: '1' }]), { command: ['echo', '1'], args: ['$(B)'] })
  })
})

describe('envReferences', () => {
  it('lists the ConfigMaps and Secrets once each', () => {
    const c: Container = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'a' } }, { secretRef: { name: 's' } }],
      env: [
        { name: 'X', valueFrom: { configMapKeyRef: { name: 'a', key: 'k' } } },
        { name: 'Y', valueFrom: { configMapKeyRef: { name: 'b', key: 'k' } } },
      ],
    }
    assert.deepEqual(envReferences(c), { configMaps: ['a', 'b'], secrets: ['s'] })
  })
})
