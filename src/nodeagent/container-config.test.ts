/** Container and sandbox configs: labels, expanded command, mounts, resources, user, ports, DNS and hosts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../api/pod.js'
import { containerConfigFor, sandboxConfigFor } from './container-config.js'

const pod: Pod = {
  metadata: { name: 'web-0', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
  spec: {
    hostname: 'web-0',
    subdomain: 'nginx',
    hostAliases: [{ ip: '10.0.0.9', hostnames: ['db'] }],
    securityContext: { runAsUser: 1000, fsGroup: 2000, supplementalGroups: [3000] },
    containers: [
      {
        name: 'app',
        image: 'nginx',
        command: ['sh', '-c', 'echo $(GREETING)'],
        args: ['$(MISSING)'],
        stdin: true,
        stdinOnce: true,
        ports: [{ name: 'web', containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
        securityContext: { runAsGroup: 10 },
      },
    ],
  },
}

describe('containerConfigFor', () => {
  it('fills every field the runtimes read', () => {
    const config = containerConfigFor({
      pod,
      container: pod.spec.containers[0]!,
      type: 'regular',
      attempt: 2,
      env: [{ name: 'GREETING', value: 'hi' }],
      mounts: [{ containerPath: '/data', hostPath: '/x' }],
    })
    assert.deepEqual(config.command, ['sh', '-c', 'echo hi'])
    assert.deepEqual(config.args, ['$(MISSING)'])
    assert.deepEqual(config.mounts, [{ containerPath: '/data', hostPath: '/x' }])
    assert.deepEqual(config.resources, { memoryLimitBytes: 134217728, cpuQuotaMilli: 500, cpuRequestMilli: 250 })
    assert.deepEqual(config.user, { uid: 1000, gid: 10, supplementalGroups: [3000, 2000] })
    assert.deepEqual(config.ports, [{ name: 'web', containerPort: 80, protocol: 'TCP' }])
    assert.equal(config.stdinOnce, true)
    assert.equal(config.attempt, 2)
    assert.equal(config.labels?.['io.kubernetes.pod.uid'], 'u1')
  })
  it('no runAsUser: the image user', () => {
    const bare: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }
    const config = containerConfigFor({
      pod: bare,
      container: bare.spec.containers[0]!,
      type: 'init',
      attempt: 0,
      env: [],
    })
    assert.equal(config.user, undefined)
    assert.equal(config.resources, undefined)
  })
})

describe('sandboxConfigFor', () => {
  it('hostname, subdomain, host aliases, pod dir and DNS', () => {
    const dns = { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] }
    const config = sandboxConfigFor(pod, { podDir: '/data/nodes/n/pods/u1', dnsConfig: dns })
    assert.equal(config.hostname, 'web-0')
    assert.equal(config.subdomain, 'nginx')
    assert.deepEqual(config.hostsEntries, [{ ip: '10.0.0.9', hostnames: ['db'] }])
    assert.equal(config.podDir, '/data/nodes/n/pods/u1')
    assert.deepEqual(config.dnsConfig, dns)
  })
})
