/**
 * pods/log: validates PodLogOptions as kube-apiserver does, picks the container, and streams the
 * agent's /containerLogs reply to the client as it arrives (for `follow`, until either side goes
 * away). A pod without a node has no logs yet: an empty 200, as upstream.
 */
import type { ServerResponse } from 'node:http'
import type { Pod } from '../../api/pod.js'
import { type FieldError, forbiddenField, invalidValue } from '../../machinery/field-error.js'
import { badRequest, invalid } from '../../machinery/status-error.js'
import { type LogRequest, logsPath, readLogOptions } from '../../machinery/streaming/agent-protocol.js'
import { type AgentTarget, getFromAgent } from './agent-client.js'
import { containerFor } from './locate.js'

/** PodLogOptions validation (pkg/apis/core/validation ValidatePodLogOptions). */
export function validateLogOptions(o: Omit<LogRequest, 'namespace' | 'pod' | 'container'>): FieldError[] {
  const errs: FieldError[] = []
  if (o.tailLines !== undefined && o.tailLines < 0)
    errs.push(invalidValue('tailLines', o.tailLines, 'must be greater than or equal to 0'))
  if (o.limitBytes !== undefined && o.limitBytes < 1)
    errs.push(invalidValue('limitBytes', o.limitBytes, 'must be greater than 0'))
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined)
    errs.push(forbiddenField('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'))
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1)
    errs.push(invalidValue('sinceSeconds', o.sinceSeconds, 'must be greater than 0'))
  return errs
}

/** Builds the agent request from the client's query; throws 400/422 StatusErrors. */
export function logRequestFor(pod: Pod, query: URLSearchParams): LogRequest {
  let opts: ReturnType<typeof readLogOptions>
  try {
    opts = readLogOptions(query)
  } catch (e) {
    throw badRequest((e as Error).message)
  }
  if (opts.sinceTime !== undefined && Number.isNaN(Date.parse(opts.sinceTime)))
    throw badRequest(`sinceTime: invalid RFC 3339 time "${opts.sinceTime}"`)
  const errs = validateLogOptions(opts)
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, pod.metadata.name ?? '', errs)
  return {
    namespace: pod.metadata.namespace ?? 'default',
    pod: pod.metadata.name ?? '',
    container: containerFor(pod, query.get('container')),
    ...opts,
  }
}

/** Streams a pod's log; `target` is undefined for a pod not yet on a node. */
export async function streamLogs(
  res: ServerResponse,
  { request, target }: { request: LogRequest; target: AgentTarget | undefined },
): Promise<void> {
  const headers = { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' }
  if (!target) {
    res.writeHead(200, headers)
    res.end()
    return
  }
  // NOTE: not req 'close': it fires once a GET's (empty) body is read, not when the client leaves.
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  const upstream = await getFromAgent(target, { path: logsPath(request), signal: abort.signal })
  res.writeHead(200, headers)
  // Headers go out at once: `kubectl logs -f` of a quiet container must not look stuck.
  res.flushHeaders()
  await new Promise<void>(resolve => {
    upstream.on('data', (chunk: Buffer) => {
      if (!res.write(chunk)) {
        upstream.pause()
        res.once('drain', () => upstream.resume())
      }
    })
    upstream.on('end', () => {
      res.end()
      resolve()
    })
    upstream.on('error', () => {
      res.destroy()
      resolve()
    })
    res.on('close', resolve)
  })
}
