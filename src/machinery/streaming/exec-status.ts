/**
 * The metav1.Status an exec or attach session ends with (channel 3 of the WebSocket protocol,
 * the `error` stream of SPDY v4/v5), and how kubectl reads an exit code back out of it. Shapes
 * and texts follow the kubelet, because kubectl prints them. Pure.
 */
import type { StatusDetails } from '../../api/meta.js'

/** A Status as the kubelet writes it on the error channel (no kind or apiVersion). */
export interface ExecStatus {
  metadata: Record<string, never>
  status: 'Success' | 'Failure'
  message?: string
  reason?: string
  code?: number
  details?: StatusDetails
}

/** The process exited 0. */
export function successStatus(): ExecStatus {
  return { metadata: {}, status: 'Success' }
}

/**
 * The process exited non-zero. `command` is the exec command (empty for attach); kubectl prints
 * `command terminated with exit code N` from the ExitCode cause.
 */
export function exitCodeStatus(code: number, command: readonly string[] = []): ExecStatus {
  const what = command.length
    ? `error executing command [${command.join(' ')}], exit code ${code}`
    : `error attaching to container, exit code ${code}`
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${what}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  }
}

/** The session failed for another reason (container not found, runtime error); kubectl exits 1. */
export function internalErrorStatus(message: string): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 }
}

/** 0 for Success, N for NonZeroExitCode, undefined for any other failure or a malformed status. */
export function exitCodeOf(status: Partial<ExecStatus> | undefined): number | undefined {
  if (status?.status === 'Success') return 0
  if (status?.reason !== 'NonZeroExitCode') return undefined
  const cause = status.details?.causes?.find(c => c.reason === 'ExitCode')
  const code = Number(cause?.message)
  return Number.isInteger(code) ? code : undefined
}
