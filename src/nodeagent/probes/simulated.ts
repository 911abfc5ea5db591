/**
 * The prober for simulated nodes: probes pass after their initial delays (probesPassAfterDelay),
 * and the pod annotation `petset.dev/simulate-ready: "false"` holds every container of the pod
 * not ready, whatever its probes say. The worker re-syncs on every pod update, so flipping the
 * annotation flips readiness at once.
 */
import { SimulateReadyAnnotation } from '../runtime/simulated/annotations.js'
import { type Prober, probesPassAfterDelay } from './prober.js'

/** Readiness steered by the simulate-ready annotation. */
export const simulatedProber: Prober = {
  check(input) {
    const result = probesPassAfterDelay.check(input)
    const wanted = input.pod.metadata.annotations?.[SimulateReadyAnnotation]?.trim().toLowerCase()
    return wanted === 'false' ? { ...result, ready: false } : result
  },
}
