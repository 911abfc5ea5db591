/**
 * What kube-apiserver creates for itself at start: the system namespaces and the `kubernetes`
 * Service with Endpoints pointing at this server. Idempotent: existing objects are kept.
 */
import type { KObject } from '../api/meta.js'
import { isAlreadyExists, isNotFound } from '../machinery/status-error.js'
import type { Registry } from './registry/registry.js'

/** The DNS Service address: the tenth address of the service range (10.96.0.10 by default). */
export function dnsServiceIP(kubernetesServiceIP: string): string {
  const parts = kubernetesServiceIP.split('.').map(Number)
  parts[3] = parts[3]! + 9
  return parts.join('.')
}

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

async function ensure(
  registry: Registry,
  resource: string,
  namespace: string | undefined,
  obj: KObject,
): Promise<void> {
  try {
    await registry.core(resource).create(namespace, obj)
  } catch (e) {
    if (!isAlreadyExists(e)) throw e
  }
}

/** Creates the system namespaces and the kubernetes Service/Endpoints (address:port of this server). */
export async function bootstrapCluster(
  registry: Registry,
  endpoint: { ip: string; port: number },
  serviceIP: string,
  log: { warn(obj: object, msg: string): void },
): Promise<void> {
  for (const name of systemNamespaces) await ensure(registry, 'namespaces', undefined, { metadata: { name } })
  await ensure(registry, 'services', 'default', {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: serviceIP,
      clusterIPs: [serviceIP],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: endpoint.port }],
      sessionAffinity: 'None',
    },
  })
  await ensure(registry, 'services', 'kube-system', {
    metadata: {
      name: 'kube-dns',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      clusterIP: dnsServiceIP(serviceIP),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  })
  const endpoints = registry.core('endpoints')
  const subsets = [
    { addresses: [{ ip: endpoint.ip }], ports: [{ name: 'https', port: endpoint.port, protocol: 'TCP' }] },
  ]
  try {
    try {
      await endpoints.guaranteedUpdate('default', 'kubernetes', cur => ({ ...cur, subsets }))
    } catch (e) {
      if (!isNotFound(e)) throw e
      await ensure(registry, 'endpoints', 'default', {
        metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets,
      })
    }
  } catch (err) {
    // A host with only a loopback address cannot be advertised (Endpoints reject loopback).
    log.warn({ err, address: endpoint.ip }, 'Could not publish the kubernetes Endpoints')
  }
}
