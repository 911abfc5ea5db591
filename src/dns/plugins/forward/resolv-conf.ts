/**
 * Where to forward: the nameservers of a resolv.conf (what the host itself resolves with) and
 * upstream addresses written as "host", "host:port" or "[v6]:port". Parsing is pure; only
 * readResolvConf touches the file system.
 */
import { readFileSync } from 'node:fs'
import { canonicalIP, ipFamily } from '../../ip.js'

/** A DNS server to forward to. */
export interface Upstream {
  host: string
  port: number
}

/** The nameserver addresses of resolv.conf text, in order, port 53 (zone ids like %eth0 dropped). */
export function parseResolvConf(text: string): Upstream[] {
  const out: Upstream[] = []
  for (const line of text.split('\n')) {
    const fields = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/)
    if (fields[0] !== 'nameserver' || !fields[1]) continue
    const host = canonicalIP(fields[1].replace(/%.*$/, ''))
    if (host) out.push({ host, port: 53 })
  }
  return out
}

/** The nameservers of the resolv.conf at path; empty when the file cannot be read. */
export function readResolvConf(path = '/etc/resolv.conf'): Upstream[] {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'))
  } catch {
    return []
  }
}

/** Parses "1.2.3.4", "1.2.3.4:5353", "::1" or "[::1]:5353"; throws on anything else. */
export function parseUpstream(s: string): Upstream {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s)
  const [hostText, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : ipFamily(s) === 6
      ? [s, undefined]
      : (s.split(':') as [string, string | undefined])
  const host = canonicalIP(hostText)
  const port = portText === undefined ? 53 : Number(portText)
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid upstream "${s}"`)
  return { host, port }
}
