/**
 * The pod annotations that steer the simulation (documented in src/nodeagent/README.md).
 * Constants only.
 */

/** "false": containers run but are not ready; "true" or absent: ready (after any readinessProbe delay). */
export const SimulateReadyAnnotation = 'petset.dev/simulate-ready'
/** "<n>": regular containers exit with code n shortly after starting (restarts follow restartPolicy). */
export const SimulateExitCodeAnnotation = 'petset.dev/simulate-exit-code'

/** The exit code a pod's annotations ask for, or undefined when absent or not an integer. */
export function simulatedExitCode(annotations: Record<string, string> | undefined): number | undefined {
  const raw = annotations?.[SimulateExitCodeAnnotation]?.trim()
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined
  return Number(raw)
}
