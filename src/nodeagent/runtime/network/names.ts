/**
 * Names of the host objects the bridge network creates: the node's bridge, each pod's network
 * namespace and host-side veth. Pure. Interface names are limited to 15 characters (IFNAMSIZ-1);
 * every name carries a `ps` prefix so leftovers after a crash can be found and removed.
 */
import { createHash } from 'node:crypto'

/** Prefix of every bridge (`psbr-<node tag>`). */
export const bridgePrefix = 'psbr-'
/** Prefix of every pod network namespace (`ps-<node tag>_<uid>`). */
export const netnsPrefix = 'ps-'
/** Prefix of every host-side veth (`psv<12 hex>`). */
export const vethPrefix = 'psv'
/** Longest Linux interface name. */
export const maxInterfaceName = 15

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length)

/**
 * A short, interface-safe tag for a node: the name itself when it is 1-10 of `[a-z0-9-]`
 * ("node-1"), else `h` + 9 hex digits of its hash. Never contains `_` (the netns separator).
 */
export function nodeTag(nodeName: string): string {
  return /^[a-z0-9-]{1,10}$/.test(nodeName) ? nodeName : `h${hex(nodeName, 9)}`
}

/** The node's bridge: `psbr-<tag>`, at most 15 characters. */
export function bridgeName(nodeName: string): string {
  return bridgePrefix + nodeTag(nodeName)
}

/** Prefix shared by every netns of one node (`ps-<tag>_`); unambiguous since tags hold no `_`. */
export function netnsPrefixOf(nodeName: string): string {
  return `${netnsPrefix}${nodeTag(nodeName)}_`
}

/** A pod's network namespace: `ps-<tag>_<first 12 alphanumerics of the uid>`. */
export function netnsName(nodeName: string, podUid: string): string {
  const short =
    podUid
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 12) || hex(podUid, 12)
  return netnsPrefixOf(nodeName) + short
}

/** A pod's host-side veth: `psv` + 12 hex digits of hash(node, uid), exactly 15 characters. */
export function vethName(nodeName: string, podUid: string): string {
  return vethPrefix + hex(`${nodeName}/${podUid}`, 12)
}

/** Where `ip netns add` puts a namespace (what OCI's `linux.namespaces[].path` takes). */
export function netnsPath(name: string): string {
  return `/var/run/netns/${name}`
}
