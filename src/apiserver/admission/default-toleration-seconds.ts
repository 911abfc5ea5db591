/**
 * DefaultTolerationSeconds: pods tolerate node.kubernetes.io/not-ready and /unreachable
 * (NoExecute) for 300 seconds unless they say otherwise, which is what delays eviction from a
 * failed node.
 */
import type { AdmissionPlugin } from './admission.js'

interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
  tolerationSeconds?: number
}

/** The seconds added to the default tolerations (upstream flag default 300). */
export let defaultTolerationSeconds = 300

/** Changes the default (petset up flag, tests). */
export function setDefaultTolerationSeconds(seconds: number): void {
  defaultTolerationSeconds = seconds
}

const keys = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']

/** True when an existing toleration already covers key with NoExecute (or all effects). */
function covers(t: Toleration, key: string): boolean {
  const keyOk = t.key === key || (t.operator === 'Exists' && !t.key)
  return keyOk && (!t.effect || t.effect === 'NoExecute')
}

export const defaultTolerations: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  resources: ['pods'],
  admitCreate(obj) {
    const spec = (obj.spec ??= {}) as { tolerations?: Toleration[] }
    const tolerations = spec.tolerations ?? []
    for (const key of keys)
      if (!tolerations.some(t => covers(t, key)))
        tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds })
    spec.tolerations = tolerations
  },
}
