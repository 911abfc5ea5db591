/**
 * The spec diff appended to "pod updates may not change fields other than ...". Upstream prints
 * go-cmp's diff of the internal PodSpec; this prints the same frame (`core.PodSpec{`, `-`/`+`
 * lines per changed field, a count of identical ones) with JSON values. Pure: no I/O.
 */
import type { PodSpec } from '../../../api/pod.js'
import { deepEqual } from '../../../machinery/objects.js'

/** JSON names whose Go field names are not simply capitalised. */
const goNames: Record<string, string> = {
  dnsPolicy: 'DNSPolicy',
  dnsConfig: 'DNSConfig',
  hostPID: 'HostPID',
  hostIPC: 'HostIPC',
  serviceAccount: 'DeprecatedServiceAccount',
  os: 'OS',
}

const goName = (k: string) => goNames[k] ?? k.charAt(0).toUpperCase() + k.slice(1)

/** A go-cmp-shaped diff of two pod specs (old first, as upstream calls cmp.Diff(old, new)). */
export function podSpecDiff(oldSpec: PodSpec, newSpec: PodSpec): string {
  const a = oldSpec as unknown as Record<string, unknown>
  const b = newSpec as unknown as Record<string, unknown>
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  const lines = ['  core.PodSpec{']
  let same = 0
  for (const k of keys) {
    if (deepEqual(a[k], b[k])) {
      same++
      continue
    }
    if (a[k] !== undefined) lines.push(`- \t${goName(k)}: ${JSON.stringify(a[k])},`)
    if (b[k] !== undefined) lines.push(`+ \t${goName(k)}: ${JSON.stringify(b[k])},`)
  }
  if (same > 0) lines.push(`  \t... // ${same} identical fields`)
  lines.push('  }')
  return `${lines.join('\n')}\n`
}
