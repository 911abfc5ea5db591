/**
 * The host side of the pod network: per-bridge forwarding and the policy rules that confine
 * pod traffic to this host. Without iptables there is no NAT, so a pod packet leaving through
 * the host's uplink would carry an unroutable 10.244.x source into the LAN; the rules make such
 * packets unreachable instead:
 *
 *   pref 2440  iif psbr-<n> to <clusterCIDR> lookup main   (pod → pod on another bridge)
 *   pref 2441  iif psbr-<n> unreachable                    (everything else forwarded)
 *   main:      unreachable <clusterCIDR>                   (no bridge for that /24: never the uplink)
 *
 * Traffic to the host's own addresses (gateways, ClusterIPs on psvc0, the uplink address) is
 * delivered by the `local` table (pref 0) before these rules. Forwarding is switched on per bridge
 * (`net.ipv4.conf.psbr-<n>.forwarding=1`), never globally: `net.ipv4.ip_forward` stays as it
 * is, and the per-bridge setting disappears with the bridge, so nothing needs restoring.
 */

import { type IpRunner, isMissing, setInterfaceSysctl, unlessExists } from './ip-command.js'
import { bridgePrefix } from './names.js'

/** Rule priorities (below main's 32766, above nothing petset does not own). */
export const rulePrefs = { podToPod: 2440, reject: 2441 } as const

/** Writes `net.ipv4.conf.<link>.<key>`. */
export type SysctlWriter = (link: string, key: string, value: string) => Promise<void>

/** The ip commands that route one bridge (pure, for tests and for the README). */
export function routingCommands(bridge: string, clusterCIDR: string): string[][] {
  return [
    ['rule', 'add', 'pref', String(rulePrefs.podToPod), 'iif', bridge, 'to', clusterCIDR, 'lookup', 'main'],
    ['rule', 'add', 'pref', String(rulePrefs.reject), 'iif', bridge, 'unreachable'],
    ['route', 'add', 'unreachable', clusterCIDR],
  ]
}

/** Enables forwarding on the bridge and adds its rules and the cluster's unreachable route; idempotent. */
export async function ensureBridgeRouting(
  run: IpRunner,
  opts: { bridge: string; clusterCIDR: string; sysctl?: SysctlWriter },
): Promise<void> {
  await (opts.sysctl ?? setInterfaceSysctl)(opts.bridge, 'forwarding', '1')
  for (const cmd of routingCommands(opts.bridge, opts.clusterCIDR)) await run(cmd).catch(unlessExists)
}

/**
 * Deletes the bridge's rules (all copies), and the unreachable cluster route once no petset
 * bridge is left on the host. Call after the bridge is gone or going; idempotent.
 */
export async function removeBridgeRouting(run: IpRunner, opts: { bridge: string; clusterCIDR: string }): Promise<void> {
  const [podToPod, reject, route] = routingCommands(opts.bridge, opts.clusterCIDR).map(c => {
    const del = [...c]
    del[1] = 'del'
    return del
  })
  for (const cmd of [podToPod!, reject!]) await deleteAll(run, cmd)
  if ((await listBridges(run)).some(b => b !== opts.bridge)) return
  await deleteAll(run, route!)
}

/** Names of every petset bridge on the host (`psbr-*`). */
export async function listBridges(run: IpRunner): Promise<string[]> {
  const out = await run(['-o', 'link', 'show', 'type', 'bridge'])
  return parseLinkNames(out).filter(n => n.startsWith(bridgePrefix))
}

/** Link names from `ip -o link show` output ("7: psv0123@if2: <...>" → "psv0123"). Pure. */
export function parseLinkNames(out: string): string[] {
  const names: string[] = []
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)[@:]/.exec(line)
    if (m) names.push(m[1]!)
  }
  return names
}

/** Runs a delete until the object is gone (rules may exist twice after a crash mid-setup). */
async function deleteAll(run: IpRunner, cmd: string[]): Promise<void> {
  for (let i = 0; i < 16; i++) {
    try {
      await run(cmd)
    } catch (err) {
      if (isMissing(err)) return
      throw err
    }
  }
}
