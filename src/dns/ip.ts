/**
 * IP address forms DNS needs: canonical text (the index key), the dashed label form of pod and
 * endpoint names (10-0-0-1, 5678-abcd--1) and reverse names (in-addr.arpa, ip6.arpa). Pure.
 */
import { isIPv4, isIPv6 } from 'node:net'

/** Canonical text of an IP (IPv6 compressed per RFC 5952), or undefined when s is not an IP. */
export function canonicalIP(s: string): string | undefined {
  if (isIPv4(s)) return s
  if (!isIPv6(s)) return undefined
  // The WHATWG URL serializer writes IPv6 hosts in RFC 5952 form (lower case, longest zero run as ::).
  return new URL(`http://[${s}]/`).hostname.slice(1, -1)
}

/** 4 or 6 for an IP address, 0 otherwise. */
export function ipFamily(s: string): 0 | 4 | 6 {
  return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0
}

/** The dashed label form of an IP: 10.0.0.1 → 10-0-0-1, 5678:abcd::1 → 5678-abcd--1. */
export function dashedIP(ip: string): string {
  return ip.includes('.') ? ip.replaceAll('.', '-') : ip.replaceAll(':', '-')
}

/**
 * The IP a dashed label stands for (CoreDNS's rule: three dashes and no "--" is IPv4, anything
 * else is IPv6), canonicalized; undefined when it is not an address.
 */
export function undashIP(label: string): string | undefined {
  const v4 = (label.match(/-/g)?.length ?? 0) === 3 && !label.includes('--')
  return canonicalIP(v4 ? label.replaceAll('-', '.') : label.replaceAll('-', ':'))
}

/** The IP of a reverse name (lowerName form), or undefined when name is not a full reverse name. */
export function ipFromReverseName(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const labels = name.slice(0, -'.in-addr.arpa'.length).split('.')
    if (labels.length !== 4 || !labels.every(l => /^(0|[1-9]\d{0,2})$/.test(l))) return undefined
    return canonicalIP(labels.reverse().join('.'))
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.')
    if (nibbles.length !== 32 || !nibbles.every(n => /^[0-9a-f]$/.test(n))) return undefined
    const hex = nibbles.reverse().join('')
    return canonicalIP(hex.match(/.{4}/g)!.join(':'))
  }
  return undefined
}

/** True for names in the reverse trees (in-addr.arpa, ip6.arpa), full or partial. */
export function isReverseName(name: string): boolean {
  return /(^|\.)(in-addr|ip6)\.arpa$/.test(name)
}

/** The reverse name of an IP, without trailing dot: 10.0.0.1 → 1.0.0.10.in-addr.arpa. */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`
  const full = expandIPv6(ip)
  return `${full.replaceAll(':', '').split('').reverse().join('.')}.ip6.arpa`
}

/** The eight 4-digit groups of an IPv6 address, lower case. */
function expandIPv6(ip: string): string {
  const [head, tail] = ip.toLowerCase().split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const zeros = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0')
  return [...h, ...zeros, ...t].map(g => g.padStart(4, '0')).join(':')
}
