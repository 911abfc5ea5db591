/**
 * The streaming integration harness: a real API server (memory store), the streaming handler in
 * front of it, a stub node agent on the real agent streaming server with host processes as
 * containers, a Node and a Running pod pointing at that agent, a TCP/HTTP service for the pod's
 * port, and a kubectl runner with its own HOME and kubeconfig.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { get as httpsGet } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import type { Pod } from '../../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../../src/apiserver/server.js'
import { createStreamingHandler } from '../../../src/apiserver/streaming/index.js'
import { writeKubeconfig } from '../../../src/cli/kubeconfig.js'
import type { TerminalSize } from '../../../src/nodeagent/streaming/backend.js'
import { type StandaloneStreamingServer, startAgentStreamingServer } from '../../../src/nodeagent/streaming/server.js'
import { openStore } from '../../../src/storage/registry.js'
import type { Store } from '../../../src/storage/store.js'
import { type Front, startFront } from './front.js'
import { type HostPod, hostBackend } from './host-backend.js'

/** kubectl binaries by minor version (the gcloud SDK layout). */
export const kubectlBin = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`
export const hasKubectl = [27, 32].every(m => existsSync(kubectlBin(m)))

export interface Harness {
  dir: string
  api: ApiServer
  front: Front
  agent: StandaloneStreamingServer
  pods: Map<string, HostPod>
  resizes: TerminalSize[]
  /** The pod's HTTP port: replies `<method> <url>` and echoes bodies. */
  httpPort: number
  /** kubectl's environment, pointed at the front (the handler under test). */
  env: NodeJS.ProcessEnv
  /** kubectl's environment pointed at the API server itself, with its real token. */
  directEnv: NodeJS.ProcessEnv
  /** Whether server.ts already routes streaming requests to the handler (the lead's wiring). */
  wired: boolean
  close(): Promise<void>
}

const agentToken = 'agent-token-for-tests'

/** Creates a Running pod on node-1 whose IP is 127.0.0.1. */
export async function runningPod(api: ApiServer, name: string, spec: Partial<Pod['spec']> = {}): Promise<Pod> {
  const pods = api.registry.core('pods')
  await pods.create('default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'busybox' }], ...spec },
  })
  return (await pods.guaranteedUpdate(
    'default',
    name,
    pod => {
      pod.status = { phase: 'Running', podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }], hostIP: '127.0.0.1' }
      return pod
    },
    { subresource: 'status' },
  )) as Pod
}

/** Starts everything; the pod `p` runs container `main` with a log file. */
export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'petset-streaming-'))
  const store: Store = await openStore('memory:')
  // The agent options take effect once server.ts wires the streaming handler; until then they
  // are ignored (hence the cast: ApiServerOptions does not declare them yet).
  const agentOptions = { nodeAgentToken: agentToken, nodeAgentScheme: 'http' } as object
  const api = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 }, ...agentOptions })
  const pods = new Map<string, HostPod>()
  const resizes: TerminalSize[] = []
  const agent = await startAgentStreamingServer({
    backend: hostBackend(pods, resizes),
    token: agentToken,
    listen: { host: '127.0.0.1', port: 0 },
  })
  const handler = createStreamingHandler({
    get: (resource, namespace, name) => api.registry.core(resource).get(namespace, name),
    agents: { token: agentToken, scheme: 'http' },
    log: process.env.STREAMING_TEST_DEBUG
      ? { debug: (o, m) => console.error('debug', m, o), error: (o, m) => console.error('error', m, o) }
      : undefined,
  })
  const front = await startFront(api, handler)
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Seen-Authorization': req.headers.authorization ?? '' })
      res.end(`${req.method} ${req.url}\n${Buffer.concat(chunks).toString()}`)
    })
  })
  // WebSocket echo on /ws, for upgrades through pods/proxy.
  const echo = new WebSocketServer({ server: http, path: '/ws' })
  echo.on('connection', ws => ws.on('message', (m, binary) => ws.send(m, { binary })))
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const httpPort = (http.address() as AddressInfo).port

  const nodes = api.registry.core('nodes')
  await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } })
  await nodes.guaranteedUpdate(
    undefined,
    'node-1',
    node => {
      node.status = {
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: agent.port } },
      }
      return node
    },
    { subresource: 'status' },
  )
  const log = join(dir, 'main.log')
  writeFileSync(log, 'line 1\nline 2\nline 3\n')
  pods.set('default/p', { containers: ['main'], logs: { main: log } })
  await runningPod(api, 'p', {
    containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'http', containerPort: httpPort }] }],
  })

  const home = join(dir, 'home')
  const kubeconfig = writeKubeconfig(join(home, '.kube', 'config'), { server: front.url, token: 'x', ca: front.ca })
  const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }
  const direct = writeKubeconfig(join(home, 'direct.kubeconfig'), { server: api.url, token: api.token, ca: api.ca })
  const directEnv = { ...env, KUBECONFIG: direct }
  return {
    dir,
    api,
    front,
    agent,
    pods,
    resizes,
    httpPort,
    env,
    directEnv,
    wired: await isWired(api),
    async close() {
      await front.close()
      await agent.close()
      for (const ws of echo.clients) ws.terminate()
      http.closeAllConnections()
      http.close()
      await api.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The result of one kubectl run. */
export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs kubectl 1.<minor> to completion (with stdin input if given). */
export function kubectl(h: Harness, minor: number, args: string[], input?: string | Buffer, env = h.env): Promise<Run> {
  const child = spawnKubectl(h, minor, args, env)
  child.stdin!.end(input ?? '')
  return finished(child)
}

/** Starts a long-running kubectl (port-forward, proxy, logs -f). */
export function spawnKubectl(h: Harness, minor: number, args: string[], env = h.env): ChildProcess {
  return spawn(kubectlBin(minor), args, { env, stdio: 'pipe' })
}

/** Asks the API server itself for a pod log: 200 once the streaming handler is wired in. */
function isWired(api: ApiServer): Promise<boolean> {
  const url = `${api.url}/api/v1/namespaces/default/pods/p/log`
  return new Promise(resolve => {
    const req = httpsGet(url, { ca: api.ca, headers: { Authorization: `Bearer ${api.token}` } }, res => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
  })
}

/** Collects a child's output until it exits (killed after 30s). */
export function finished(child: ChildProcess): Promise<Run> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', d => (stdout += d))
  child.stderr!.on('data', d => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  return new Promise(resolve =>
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

/** Resolves with the output so far once `pattern` appears on stdout or stderr. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, ms = 20_000): Promise<string> {
  let seen = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; saw: ${seen}`)), ms)
    const on = (d: Buffer) => {
      seen += d
      if (pattern.test(seen)) {
        clearTimeout(timer)
        resolve(seen)
      }
    }
    child.stdout!.on('data', on)
    child.stderr!.on('data', on)
  })
}

/**
 * Plays scheduler and kubelet for one `kubectl run` pod: binds it to node-1, reports Running,
 * runs its command on attach, reports Succeeded/Failed when that exits, and finishes a graceful
 * delete. Returns the stop function.
 */
export function fakeKubelet(h: Harness, name: string): () => void {
  const pods = h.api.registry.core('pods')
  let phase: 'new' | 'running' | 'done' = 'new'
  const tick = async () => {
    const pod = (await pods.get('default', name).catch(() => undefined)) as Pod | undefined
    if (!pod) return
    if (pod.metadata.deletionTimestamp)
      return void (await pods.delete('default', name, { gracePeriodSeconds: 0 }).catch(() => {}))
    if (phase !== 'new') return
    phase = 'running'
    const c = pod.spec.containers[0]!
    h.pods.set(`default/${name}`, {
      containers: [c.name],
      main: { [c.name]: [...(c.command ?? []), ...(c.args ?? [])] },
      onExit: (_, code) => {
        phase = 'done'
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
        const terminated = { exitCode: code, reason: code ? 'Error' : 'Completed', startedAt: now, finishedAt: now }
        void pods.guaranteedUpdate(
          'default',
          name,
          p => ({
            ...p,
            status: {
              ...(p as Pod).status,
              phase: code ? 'Failed' : 'Succeeded',
              containerStatuses: [
                { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, state: { terminated } },
              ],
            },
          }),
          { subresource: 'status' },
        )
      },
    })
    await pods.guaranteedUpdate('default', name, p => ((p as Pod).spec.nodeName = 'node-1') && p, {
      subresource: 'binding',
    })
    await pods.guaranteedUpdate(
      'default',
      name,
      // kubectl run waits for Running *and* the Ready condition before it attaches.
      p => ({
        ...p,
        status: { phase: 'Running', podIP: '127.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
      }),
      { subresource: 'status' },
    )
  }
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    tick().finally(() => (busy = false))
  }, 50)
  return () => clearInterval(timer)
}
