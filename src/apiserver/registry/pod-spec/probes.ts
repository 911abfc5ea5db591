/**
 * Probe and lifecycle-hook validation (validateProbe, validateHandler and friends of
 * core/validation): one handler type each, valid ports and schemes, non-negative timings.
 * Pure: no I/O.
 */
import type { HTTPGetAction, IntOrString, Lifecycle, LifecycleHandler, Probe } from '../../../api/pod.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from '../../../machinery/validation/names.js'
import { validateNonnegative } from './helpers.js'

/** ValidatePortNumOrName: numbers 1-65535, names IANA_SVC_NAME. */
export function validatePortNumOrName(port: IntOrString | undefined, path: Path): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map(m => invalidValue(path, port, m))
  const n = port ?? 0
  return isValidPortNum(n).map(m => invalidValue(path, n, m))
}

function validateHTTPGet(h: HTTPGetAction, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!h.path) errs.push(required(path.child('path')))
  errs.push(...validatePortNumOrName(h.port, path.child('port')))
  if (h.scheme !== 'HTTP' && h.scheme !== 'HTTPS')
    errs.push(notSupported(path.child('scheme'), h.scheme ?? '', ['HTTP', 'HTTPS']))
  for (const header of h.httpHeaders ?? [])
    for (const m of isHTTPHeaderName(header.name)) errs.push(invalidValue(path.child('httpHeaders'), header.name, m))
  return errs
}

/** validateHandler: exactly one of exec, httpGet, tcpSocket, grpc, sleep. */
function validateHandler(
  h: LifecycleHandler & { grpc?: Probe['grpc'] },
  gracePeriod: number | undefined,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = []
  let n = 0
  const one = (key: string, check: () => FieldError[]) => {
    if (n > 0) errs.push(forbiddenField(path.child(key), 'may not specify more than 1 handler type'))
    else {
      n++
      errs.push(...check())
    }
  }
  if (h.exec) one('exec', () => (h.exec!.command?.length ? [] : [required(path.child('exec', 'command'))]))
  if (h.httpGet) one('httpGet', () => validateHTTPGet(h.httpGet!, path.child('httpGet')))
  if (h.tcpSocket) one('tcpSocket', () => validatePortNumOrName(h.tcpSocket!.port, path.child('tcpSocket', 'port')))
  if (h.grpc) one('grpc', () => validatePortNumOrName(h.grpc!.port, path.child('grpc', 'port')))
  if (h.sleep)
    one('sleep', () => {
      const s = h.sleep!.seconds
      // 1.32: PodLifecycleSleepActionAllowZero is off, so zero is rejected.
      if (gracePeriod !== undefined && (s <= 0 || s > gracePeriod))
        return [
          invalidValue(
            path.child('sleep'),
            s,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          ),
        ]
      return []
    })
  if (n === 0) errs.push(required(path, 'must specify a handler type'))
  return errs
}

function validateProbe(p: Probe, gracePeriod: number | undefined, path: Path): FieldError[] {
  const errs = validateHandler(
    { exec: p.exec, httpGet: p.httpGet, tcpSocket: p.tcpSocket, grpc: p.grpc },
    gracePeriod,
    path,
  )
  errs.push(...validateNonnegative(p.initialDelaySeconds ?? 0, path.child('initialDelaySeconds')))
  errs.push(...validateNonnegative(p.timeoutSeconds ?? 0, path.child('timeoutSeconds')))
  errs.push(...validateNonnegative(p.periodSeconds ?? 0, path.child('periodSeconds')))
  errs.push(...validateNonnegative(p.successThreshold ?? 0, path.child('successThreshold')))
  errs.push(...validateNonnegative(p.failureThreshold ?? 0, path.child('failureThreshold')))
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0)
    errs.push(
      invalidValue(
        path.child('terminationGracePeriodSeconds'),
        p.terminationGracePeriodSeconds,
        'must be greater than 0',
      ),
    )
  return errs
}

/** Liveness and startup probes: a valid probe whose successThreshold is 1. */
export function validateLivenessProbe(p: Probe | undefined, gracePeriod: number | undefined, path: Path): FieldError[] {
  if (!p) return []
  const errs = validateProbe(p, gracePeriod, path)
  if (p.successThreshold !== 1)
    errs.push(invalidValue(path.child('successThreshold'), p.successThreshold ?? 0, 'must be 1'))
  return errs
}

/** Readiness probes: a valid probe without terminationGracePeriodSeconds. */
export function validateReadinessProbe(
  p: Probe | undefined,
  gracePeriod: number | undefined,
  path: Path,
): FieldError[] {
  if (!p) return []
  const errs = validateProbe(p, gracePeriod, path)
  if (p.terminationGracePeriodSeconds !== undefined)
    errs.push(
      invalidValue(
        path.child('terminationGracePeriodSeconds'),
        p.terminationGracePeriodSeconds,
        'must not be set for readinessProbes',
      ),
    )
  return errs
}

/** validateLifecycle: postStart and preStop handlers. */
export function validateLifecycle(l: Lifecycle, gracePeriod: number | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (l.postStart) errs.push(...validateHandler(l.postStart, gracePeriod, path.child('postStart')))
  if (l.preStop) errs.push(...validateHandler(l.preStop, gracePeriod, path.child('preStop')))
  return errs
}
