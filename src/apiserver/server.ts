/**
 * The API server: an HTTPS (or, behind an explicit flag, plain HTTP) server that authenticates
 * bearer tokens and serves discovery, OpenAPI, version/health and every registered resource
 * from the store, with one watch cache feeding all watches.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import type { KObject } from '../api/meta.js'
import { updateManagedFields } from '../machinery/patch/index.js'
import { schemaFor } from '../machinery/schema/index.js'
import { notFound, requestEntityTooLarge, unauthorized } from '../machinery/status-error.js'
import { rawJsonResponse } from '../machinery/streaming/raw-response.js'
import type { Store } from '../storage/store.js'
import { isPublicPath, TokenAuthenticator, type UserInfo } from './auth.js'
import { bootstrapCluster } from './bootstrap.js'
import { serveGroupRequest } from './http/group-handler.js'
import { OpenApiService } from './http/openapi-handler.js'
import { parseRequestPath } from './http/request-info.js'
import { type HandlerContext, handleResource } from './http/resource-handler.js'
import { sendError, sendJson } from './http/respond.js'
import { loadOrCreatePki, loadOrCreateToken, type ServingPki } from './pki.js'
import { allStrategies } from './registry/all.js'
import { formatTime } from './registry/generic/object-meta.js'
import { Registry } from './registry/registry.js'
import { configureServiceNetwork, reservedKubernetesServiceIP } from './registry/services/index.js'
import { loadOrCreateSigningKey, ServiceAccountTokens, serviceAccountUser } from './service-account-tokens.js'
import { createStreamingHandler } from './streaming/index.js'
import { WatchCache } from './watch-cache.js'

export interface ApiServerOptions {
  store: Store
  /** Where to listen; port 0 picks a free port. Default 127.0.0.1:6443. */
  listen?: { host: string; port: number }
  /** TLS on (default) or off (plain HTTP: kubectl then sends no credentials, so auth is off too). */
  tls?: boolean
  /** Directory for pki/ (CA, serving cert, tokens). Without it, an in-memory PKI is generated. */
  dataDir?: string
  /** The admin token; generated (and kept in dataDir) when absent. */
  adminToken?: string
  now?: () => number
  logger?: Logger
  /** Address advertised in the kubernetes Endpoints (default: the listen host). */
  advertiseAddress?: string
  /** Service ClusterIP range (default 10.96.0.0/12); its first address is the kubernetes Service. */
  serviceCidr?: string
  /** NodePort range (default 30000-32767). */
  nodePortRange?: string
  /** Bearer token node agents accept from the API server (exec, attach, port-forward, logs, proxy). */
  nodeAgentToken?: string
  /** How node agents serve: https (default, like the kubelet) or http. */
  nodeAgentScheme?: 'http' | 'https'
  /** PEM CA of the agents' serving certificates; without it they are not verified. */
  nodeAgentCa?: string
}

export interface ApiServer {
  url: string
  token: string
  /** PEM of the CA that signed the serving certificate (TLS only). */
  ca?: string
  port: number
  registry: Registry
  authenticator: TokenAuthenticator
  logger: Logger
  close(): Promise<void>
}

/** The version this server reports: kubectl's dispatcher picks its client by the minor. */
export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+petset',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
}

const maxBodyBytes = 3 * 1024 * 1024

/** The first non-loopback IPv4 address of this host (Endpoints may not hold loopback addresses). */
function hostAddress(): string {
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return '127.0.0.1'
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > maxBodyBytes) {
        reject(requestEntityTooLarge('the request body is too large'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Starts the API server and resolves once it listens and the cluster objects exist. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const now = opts.now ?? Date.now
  const logger = opts.logger ?? pino({ level: process.env.PETSET_LOG_LEVEL ?? 'warn' })
  const log = logger.child({ component: 'apiserver' })
  const tls = opts.tls !== false
  const pkiDir = opts.dataDir ? join(opts.dataDir, 'pki') : undefined
  let pki: ServingPki | undefined
  if (tls) pki = pkiDir ? await loadOrCreatePki(pkiDir) : await (await import('./pki.js')).generatePki()
  const token =
    opts.adminToken ??
    (pkiDir ? loadOrCreateToken(pkiDir) : (await import('node:crypto')).randomBytes(24).toString('base64url'))
  const authenticator = new TokenAuthenticator()
  authenticator.add(token, { name: 'petset-admin', groups: ['system:masters', 'system:authenticated'] })

  const serviceCidr = opts.serviceCidr ?? '10.96.0.0/12'
  configureServiceNetwork({ cidr: serviceCidr, nodePortRange: opts.nodePortRange ?? '30000-32767', now })
  const registry = new Registry(allStrategies, opts.store, now)
  const tokens = new ServiceAccountTokens(loadOrCreateSigningKey(pkiDir))
  authenticator.use(async bearer => {
    const claims = tokens.verify(bearer, Math.floor(now() / 1000))
    if (!claims) return undefined
    // A token outlives nothing it names: the account (and the pod it is bound to) must still exist.
    const account = await registry
      .core('serviceaccounts')
      .get(claims.namespace, claims.serviceAccount.name)
      .catch(() => undefined)
    if (account?.metadata.uid !== claims.serviceAccount.uid) return undefined
    if (claims.pod) {
      const pod = await registry
        .core('pods')
        .get(claims.namespace, claims.pod.name)
        .catch(() => undefined)
      if (pod?.metadata.uid !== claims.pod.uid) return undefined
    }
    return serviceAccountUser(claims)
  })
  const cache = new WatchCache(opts.store)
  await cache.start()
  const openapi = new OpenApiService(registry.strategies)
  const streaming = createStreamingHandler({
    get: (resource, namespace, name) => registry.core(resource).get(namespace, name),
    agents: { token: opts.nodeAgentToken ?? '', scheme: opts.nodeAgentScheme, ca: opts.nodeAgentCa },
    log,
  })
  const inflight = new Set<AbortController>()

  const trackFields = (manager: string, subresource?: string) => (obj: KObject, old: KObject | undefined) => {
    const apiVersion = obj.apiVersion ?? 'v1'
    const updated = updateManagedFields(old, obj, {
      manager,
      operation: 'Update',
      apiVersion,
      now: formatTime(now()),
      subresource,
      schema: schemaFor(apiVersion, obj.kind ?? ''),
    }) as KObject
    obj.metadata.managedFields = updated.metadata.managedFields
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    const warnings: string[] = []
    // Only long-running requests (watches, streams) need a signal; making one per request (and
    // aborting it, which builds a DOMException) costs more than small requests themselves.
    let abort: AbortController | undefined
    const signal = () => {
      if (!abort) {
        const a = (abort = new AbortController())
        inflight.add(a)
        res.once('close', () => {
          a.abort()
          inflight.delete(a)
        })
      }
      return abort.signal
    }
    try {
      let user: UserInfo | undefined
      if (tls) {
        user = await authenticator.authenticate(req)
        if (!user && !isPublicPath(path)) throw unauthorized()
      }
      if (path === '/version') return sendJson(res, 200, serverVersion)
      if (isPublicPath(path)) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
        return void res.end('ok')
      }
      if (path === '/openapi/v3' || path.startsWith('/openapi/v3/') || path === '/openapi/v2')
        return openapi.serve(req, res, path, url)
      const info = parseRequestPath(path)
      if (info.type === 'group') return serveGroupRequest(req, res, info, registry.strategies, req.headers.host ?? '')
      if (info.type !== 'resource') throw notFound({ group: '', resource: '' }, '')
      const store = registry.find(info.group, info.version, info.resource)
      if (!store) throw notFound({ group: info.group, resource: info.resource }, info.name ?? '')
      // pods/log and the proxy subresources go to the node agent (exec & co. arrive as upgrades).
      if (info.subresource && (await streaming.handleRequest(req, res, info))) return
      let body: Promise<Buffer> | undefined
      const ctx: HandlerContext = {
        req,
        res,
        url,
        info,
        store,
        cache,
        body: () => (body ??= readBody(req)),
        now,
        warnings,
        get signal() {
          return signal()
        },
        trackFields,
        registry,
        tokens,
      }
      await handleResource(ctx)
    } catch (e) {
      sendError(res, e, err => log.error({ err, method: req.method, path }, 'Request failed'), warnings)
    }
  }

  const server: Server = tls
    ? createHttpsServer({ cert: pki!.cert, key: pki!.key }, (req, res) => void handle(req, res))
    : createHttpServer((req, res) => void handle(req, res))
  // exec, attach, portforward (WebSocket or SPDY) and proxied upgrades; anything else that asks
  // for an upgrade (e.g. h2c) is served as a plain request.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {})
    const info = parseRequestPath(new URL(req.url ?? '/', 'http://localhost').pathname)
    const serve = async () => {
      if (info.type === 'resource') {
        if (tls && !(await authenticator.authenticate(req)))
          return void socket.end(rawJsonResponse(401, unauthorized().status))
        if (streaming.handleUpgrade(req, socket, head, info)) return
      }
      const res = new ServerResponse(req)
      res.assignSocket(socket)
      res.on('finish', () => socket.end())
      await handle(req, res)
    }
    void serve()
  })
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 65_000
  const listen = opts.listen ?? { host: '127.0.0.1', port: 6443 }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port, listen.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host
  const advertise = opts.advertiseAddress ?? hostAddress()
  await bootstrapCluster(registry, { ip: advertise, port }, reservedKubernetesServiceIP(serviceCidr), log)
  log.info({ port, tls }, 'API server listening')
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    token,
    ca: pki?.ca,
    port,
    registry,
    authenticator,
    logger,
    async close() {
      for (const a of inflight) a.abort()
      streaming.close()
      cache.stop()
      server.closeAllConnections?.()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}
