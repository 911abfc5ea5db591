/**
 * One probe execution (the kubelet's exec, http and tcp probers): exec runs the command through
 * the runtime (success = exit 0, output = combined stdout and stderr), httpGet asks the pod IP
 * (or `host`) and succeeds on 200–399, tcpSocket succeeds once a connection opens. Failure
 * messages follow upstream (Go's net errors: `dial tcp 10.244.1.5:8080: connect: connection
 * refused`, `HTTP probe failed with statuscode: 503`, `command "x" timed out`).
 */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import type { Container, Probe } from '../../api/pod.js'
import type { ContainerRuntime } from '../runtime/runtime.js'

/** A probe run's outcome; output is the failure message (or the success body/output). */
export interface ProbeOutcome {
  result: 'success' | 'failure'
  output: string
}

/** What a probe runs against. */
export interface ProbeTarget {
  container: Container
  containerId: string
  podIP?: string
  runtime: ContainerRuntime
}

/** Runs one probe once, within timeoutMs. */
export type ProbeRunner = (probe: Probe, target: ProbeTarget, timeoutMs: number) => Promise<ProbeOutcome>

/** Upstream keeps at most 10 KiB of probe output. */
const maxOutput = 10 * 1024
const userAgent = 'kube-probe/1.32'

const success = (output = ''): ProbeOutcome => ({ result: 'success', output })
const failure = (output: string): ProbeOutcome => ({ result: 'failure', output })

/** Go's wording of a socket error. */
function netError(err: NodeJS.ErrnoException, addr: string): string {
  const why: Record<string, string> = {
    ECONNREFUSED: 'connect: connection refused',
    EHOSTUNREACH: 'connect: no route to host',
    ENETUNREACH: 'connect: network is unreachable',
    ETIMEDOUT: 'i/o timeout',
    ECONNRESET: 'read: connection reset by peer',
  }
  return `dial tcp ${addr}: ${why[err.code ?? ''] ?? err.message}`
}

/** Resolves a named port through the container's ports. */
function portOf(port: number | string, container: Container): number | undefined {
  if (typeof port === 'number') return port
  if (/^\d+$/.test(port)) return Number(port)
  return container.ports?.find(p => p.name === port)?.containerPort
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)

/** The real probe runner. */
export const runProbe: ProbeRunner = async (probe, target, timeoutMs) => {
  if (probe.exec) return execProbe(probe.exec.command ?? [], target, timeoutMs)
  if (probe.httpGet || probe.tcpSocket) {
    const action = (probe.httpGet ?? probe.tcpSocket)!
    const port = portOf(action.port, target.container)
    if (port === undefined) return failure(`couldn't find port: ${action.port} in ${target.container.name}`)
    const host = action.host || target.podIP
    if (!host) return failure('the pod has no IP address yet')
    return probe.httpGet ? httpProbe(probe.httpGet, host, port, timeoutMs) : tcpProbe(host, port, timeoutMs)
  }
  if (probe.grpc) return failure('grpc probes are not supported by petset')
  return failure('missing probe handler')
}

async function execProbe(command: string[], target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const { runtime } = target
  if (!runtime.exec) return failure(`exec probes are not supported by the ${runtime.name} runtime`)
  let output = ''
  const sink = new Writable({
    write(chunk, _enc, done) {
      if (output.length < maxOutput) output = (output + chunk.toString()).slice(0, maxOutput)
      done()
    },
  })
  const timeout = AbortSignal.timeout(timeoutMs)
  const run = runtime.exec(target.containerId, command, {
    stdout: sink,
    stderr: sink,
    tty: false,
    onResize() {},
    signal: timeout,
  })
  const timedOut = new Promise<'timeout'>(resolve => timeout.addEventListener('abort', () => resolve('timeout')))
  try {
    const code = await Promise.race([run, timedOut])
    if (code === 'timeout') return failure(`command ${JSON.stringify(command.join(' '))} timed out`)
    return code === 0
      ? success(output)
      : failure(output || `command ${JSON.stringify(command.join(' '))} exited with ${code}`)
  } catch (err) {
    return failure((err as Error).message)
  }
}

function httpProbe(
  action: NonNullable<Probe['httpGet']>,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase()
  const path = action.path ? (action.path.startsWith('/') ? action.path : `/${action.path}`) : '/'
  const url = `${scheme}://${hostPort(host, port)}${path}`
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*' }
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value
  const request = scheme === 'https' ? httpsRequest : httpRequest
  return new Promise(resolve => {
    const req = request(url, { method: 'GET', headers, rejectUnauthorized: false, timeout: timeoutMs }, res => {
      let body = ''
      res.on('data', (c: Buffer) => {
        if (body.length < maxOutput) body += c.toString()
      })
      res.on('end', () => {
        const code = res.statusCode ?? 0
        resolve(code >= 200 && code < 400 ? success(body) : failure(`HTTP probe failed with statuscode: ${code}`))
      })
      res.on('error', err => resolve(failure(`Get ${JSON.stringify(url)}: ${err.message}`)))
    })
    req.on('timeout', () => {
      req.destroy()
      resolve(
        failure(
          `Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        ),
      )
    })
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve(failure(`Get ${JSON.stringify(url)}: ${netError(err, hostPort(host, port))}`)),
    )
    req.end()
  })
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = hostPort(host, port)
  return new Promise(resolve => {
    const socket = connect({ host, port, timeout: timeoutMs })
    socket.once('connect', () => {
      socket.destroy()
      resolve(success())
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(failure(`dial tcp ${addr}: i/o timeout`))
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(failure(netError(err, addr))))
  })
}
