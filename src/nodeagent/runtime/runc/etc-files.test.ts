/** The generated /etc/hosts and /etc/resolv.conf, in the kubelet's formats. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hostsFile, resolvConf } from './etc-files.js'

describe('hostsFile', () => {
  const base = { uid: 'u', namespace: 'default', name: 'web-0' }
  const ownLine = (text: string) => text.split('\n').filter(l => l.startsWith('10.'))

  it('names the pod by hostname, with its FQDN when it has a subdomain', () => {
    const cases: [object, string[]][] = [
      [{}, ['10.244.1.5\tweb-0']],
      [{ hostname: 'db' }, ['10.244.1.5\tdb']],
      [{ subdomain: 'nginx' }, ['10.244.1.5\tweb-0.nginx.default.svc.cluster.local\tweb-0']],
    ]
    for (const [extra, want] of cases) {
      const text = hostsFile({ config: { ...base, ...extra }, ip: '10.244.1.5', clusterDomain: 'cluster.local' })
      assert.ok(text.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n'))
      assert.deepEqual(ownLine(text), want)
    }
  })

  it('appends host aliases; hostNetwork pods get the node file', () => {
    const hostsEntries = [{ ip: '1.2.3.4', hostnames: ['foo', 'bar'] }]
    const pod = hostsFile({ config: { ...base, hostsEntries }, ip: '10.244.1.5', clusterDomain: 'cluster.local' })
    assert.ok(pod.endsWith('10.244.1.5\tweb-0\n\n# Entries added by HostAliases.\n1.2.3.4\tfoo\tbar\n'))
    const host = hostsFile({
      config: { ...base, hostNetwork: true },
      clusterDomain: 'c',
      nodeHosts: '127.0.0.1 node\n',
    })
    assert.equal(host, '127.0.0.1 node\n')
  })
})

it('resolvConf: search, nameservers, options; nothing configured: the node file', () => {
  const dns = {
    nameservers: ['10.96.0.10'],
    searches: ['default.svc.cluster.local', 'svc.cluster.local'],
    options: ['ndots:5'],
  }
  assert.equal(
    resolvConf(dns, 'node'),
    'search default.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  )
  assert.equal(resolvConf(undefined, 'nameserver 1.1.1.1\n'), 'nameserver 1.1.1.1\n')
  assert.equal(resolvConf({}, 'node'), 'node')
})
