/**
 * The per-pod files bound over /etc/hosts, /etc/hostname and /etc/resolv.conf, in the kubelet's
 * formats. Content builders are pure; writeSandboxFiles rewrites the files in place (same inode),
 * so running containers that bind them see a new sandbox's address.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DNSConfig, PodSandboxConfig } from '../runtime.js'

/** The kubelet's header and loopback lines. */
const managedHosts = `# Kubernetes-managed hosts file.
127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
fe00::0\tip6-mcastprefix
fe00::1\tip6-allnodes
fe00::2\tip6-allrouters
`

function aliasLines(aliases: PodSandboxConfig['hostsEntries']): string {
  if (!aliases?.length) return ''
  return `\n# Entries added by HostAliases.\n${aliases.map(a => `${a.ip}\t${a.hostnames.join('\t')}\n`).join('')}`
}

/**
 * /etc/hosts of a pod: localhost, then `<ip> <hostname>.<subdomain>.<ns>.svc.<domain> <hostname>`
 * (or `<ip> <hostname>` without a subdomain), then the host aliases. hostNetwork pods get the
 * node's file plus their aliases.
 */
export function hostsFile(opts: {
  config: PodSandboxConfig
  ip?: string
  clusterDomain: string
  /** The node's /etc/hosts (for hostNetwork pods). */
  nodeHosts?: string
}): string {
  const { config, ip } = opts
  if (config.hostNetwork) return (opts.nodeHosts ?? managedHosts) + aliasLines(config.hostsEntries)
  const hostname = config.hostname ?? config.name
  let own = ''
  if (ip)
    own = config.subdomain
      ? `${ip}\t${hostname}.${config.subdomain}.${config.namespace}.svc.${opts.clusterDomain}\t${hostname}\n`
      : `${ip}\t${hostname}\n`
  return managedHosts + own + aliasLines(config.hostsEntries)
}

/** resolv.conf from a DNSConfig (search, nameserver, options); no config: the node's file. */
export function resolvConf(dns: DNSConfig | undefined, nodeResolvConf: string): string {
  if (!dns || (!dns.nameservers?.length && !dns.searches?.length && !dns.options?.length)) return nodeResolvConf
  const lines: string[] = []
  if (dns.searches?.length) lines.push(`search ${dns.searches.join(' ')}`)
  for (const ns of dns.nameservers ?? []) lines.push(`nameserver ${ns}`)
  if (dns.options?.length) lines.push(`options ${dns.options.join(' ')}`)
  return `${lines.join('\n')}\n`
}

/** Paths of the generated files of a pod. */
export interface SandboxFiles {
  hosts: string
  hostname: string
  resolvConf: string
}

/** Where a pod's generated files live. */
export function sandboxFilesIn(podDir: string): SandboxFiles {
  const dir = join(podDir, 'etc')
  return { hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf') }
}

/** Writes (or rewrites in place) a pod's /etc/hosts, /etc/hostname and /etc/resolv.conf. */
export async function writeSandboxFiles(
  podDir: string,
  opts: { config: PodSandboxConfig; ip?: string; clusterDomain: string },
): Promise<SandboxFiles> {
  const files = sandboxFilesIn(podDir)
  await mkdir(join(podDir, 'etc'), { recursive: true })
  const nodeHosts = await readFile('/etc/hosts', 'utf8').catch(() => undefined)
  const nodeResolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => '')
  await writeFile(files.hosts, hostsFile({ ...opts, nodeHosts }))
  await writeFile(files.hostname, `${opts.config.hostname ?? opts.config.name}\n`)
  await writeFile(files.resolvConf, resolvConf(opts.config.dnsConfig, nodeResolv))
  return files
}
