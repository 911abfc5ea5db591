/**
 * A pod's resolv.conf from its dnsPolicy (the kubelet's dns configurer): ClusterFirst → the
 * cluster DNS Service, search `<ns>.svc.<domain> svc.<domain> <domain>` (plus the node's search
 * domains), `ndots:5`; Default (and ClusterFirst with hostNetwork) → the node's resolv.conf;
 * None → only spec.dnsConfig. spec.dnsConfig is merged last (nameservers and searches appended
 * without duplicates, options replaced by name). Pure; parseResolvConf reads the file's text.
 */
import type { Pod } from '../api/pod.js'
import type { DNSConfig } from './runtime/runtime.js'

/** The cluster's DNS settings the agent was given. */
export interface ClusterDNS {
  /** The kube-dns Service IP(s); without them ClusterFirst falls back to the node's resolver. */
  servers?: string[]
  /** Default cluster.local. */
  domain?: string
}

/** Parses resolv.conf text (nameserver, search/domain, options). */
export function parseResolvConf(text: string): DNSConfig {
  const out: Required<DNSConfig> = { nameservers: [], searches: [], options: [] }
  for (const raw of text.split('\n')) {
    const [key, ...values] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/)
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0])
    else if (key === 'search' || key === 'domain') out.searches = values
    else if (key === 'options') out.options.push(...values)
  }
  return out
}

const unique = (xs: string[]) => [...new Set(xs.filter(x => x))]

/** The pod's DNSConfig, or undefined for "the node's resolv.conf as it is". */
export function podDnsConfig(pod: Pod, cluster: ClusterDNS, host: DNSConfig = {}): DNSConfig | undefined {
  const policy = pod.spec.dnsPolicy || 'ClusterFirst'
  const domain = cluster.domain ?? 'cluster.local'
  const ns = pod.metadata.namespace ?? 'default'
  let base: DNSConfig | undefined
  const useCluster = (policy === 'ClusterFirst' && !pod.spec.hostNetwork) || policy === 'ClusterFirstWithHostNet'
  if (policy === 'None') base = {}
  else if (useCluster && cluster.servers?.length)
    base = {
      nameservers: [...cluster.servers],
      searches: unique([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...(host.searches ?? [])]),
      options: ['ndots:5'],
    }
  else if (!pod.spec.dnsConfig) return undefined
  else
    base = {
      nameservers: [...(host.nameservers ?? [])],
      searches: [...(host.searches ?? [])],
      options: [...(host.options ?? [])],
    }
  const extra = pod.spec.dnsConfig
  if (!extra) return base
  const options = new Map((base.options ?? []).map(o => [o.split(':')[0]!, o]))
  for (const o of extra.options ?? []) options.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name)
  return {
    nameservers: unique([...(base.nameservers ?? []), ...(extra.nameservers ?? [])]).slice(0, 3),
    searches: unique([...(base.searches ?? []), ...(extra.searches ?? [])]),
    options: [...options.values()],
  }
}
