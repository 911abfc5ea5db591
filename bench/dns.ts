/**
 * DNS benchmark (not part of `npm test`): an in-process API server on a memory store holds a
 * headless Service with 1000 pods (Endpoints with hostnames, pods with IPs); the DNS server
 * builds its index through the real informers, then a loopback client in this same process
 * (so client and server share one event loop: the numbers are a floor) sends queries over UDP
 * with a fixed number in flight and prints queries per second and p50/p99 latency per kind.
 * Usage: node --import tsx bench/dns.ts   (or npm run build && node dist/bench/dns.js)
 */
import type { Endpoints, Service } from '../src/api/core.js'
import type { Pod } from '../src/api/pod.js'
import { startApiServer } from '../src/apiserver/server.js'
import { ENDPOINTS, PODS, SERVICES } from '../src/client/resources.js'
import { RestClient } from '../src/client/rest-client.js'
import { type AskOptions, DnsClient } from '../src/dns/dns-client.js'
import { rcodeOf } from '../src/dns/message.js'
import { startDnsServer } from '../src/dns/server.js'
import { openStore } from '../src/storage/registry.js'

const pods = 1000
const inFlight = 64
const ns = 'default'
const ipOf = (i: number) => `10.244.${i >> 8}.${i & 255}`

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!)
    }),
  )
}

async function populate(client: RestClient): Promise<void> {
  const svc: Service = {
    metadata: { name: 'web', namespace: ns },
    spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  }
  await client.create(SERVICES, svc)
  await client.create(SERVICES, {
    metadata: { name: 'frontend', namespace: ns },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  })
  const indices = Array.from({ length: pods }, (_, i) => i)
  await inParallel(indices, 32, async i => {
    const pod = await client.create<Pod>(PODS, {
      metadata: { name: `web-${i}`, namespace: ns, labels: { app: 'web' } },
      spec: { hostname: `web-${i}`, subdomain: 'web', containers: [{ name: 'c', image: 'nginx' }] },
    })
    await client.updateStatus<Pod>(PODS, {
      ...pod,
      status: { phase: 'Running', podIP: ipOf(i), podIPs: [{ ip: ipOf(i) }] },
    })
  })
  const ep: Endpoints = {
    metadata: { name: 'web', namespace: ns },
    subsets: [
      {
        addresses: indices.map(i => ({ ip: ipOf(i), hostname: `web-${i}` })),
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    ],
  }
  await client.create(ENDPOINTS, ep)
}

interface Kind {
  label: string
  name: (i: number) => string
  type: string
  queries: number
  opts?: AskOptions
  /** Queries in flight (default 64); big answers use fewer so the client's socket buffer never drops. */
  inFlight?: number
}

async function measure(dns: DnsClient, kind: Kind): Promise<string> {
  const latencies: number[] = []
  const rcodes = new Map<number | string, number>()
  const started = performance.now()
  await inParallel(
    Array.from({ length: kind.queries }, (_, i) => i),
    kind.inFlight ?? inFlight,
    async i => {
      const t0 = performance.now()
      const rcode = await dns.ask(kind.name(i), kind.type, kind.opts).then(rcodeOf, () => 'timeout')
      latencies.push(performance.now() - t0)
      rcodes.set(rcode, (rcodes.get(rcode) ?? 0) + 1)
    },
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2)
  const codes = [...rcodes].map(([c, n]) => `${c}:${n}`).join(' ')
  return `${kind.label.padEnd(44)} ${String(Math.round(kind.queries / seconds)).padStart(7)} qps   p50 ${pct(0.5).padStart(6)} ms   p99 ${pct(0.99).padStart(6)} ms   rcodes ${codes}`
}

async function main(): Promise<void> {
  const store = await openStore('memory:')
  const api = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  const client = new RestClient({ server: api.url, token: api.token, ca: api.ca })
  const t0 = performance.now()
  await populate(client)
  const populated = performance.now()
  const server = await startDnsServer({ client, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [] })
  await server.waitForSync()
  const dns = new DnsClient({ host: '127.0.0.1', port: server.port })
  while (rcodeOf(await dns.ask(`web-${pods - 1}.web.${ns}.svc.cluster.local`, 'A')) !== 0) {
    await new Promise(r => setTimeout(r, 10))
  }
  const indexed = performance.now()
  console.log(
    `${pods} pods created in ${((populated - t0) / 1000).toFixed(1)} s; DNS index built in ${((indexed - populated) / 1000).toFixed(2)} s`,
  )
  console.log(`UDP, ${inFlight} queries in flight (8 for big answers), one client socket, same process as the server`)
  const kinds: Kind[] = [
    {
      label: 'A  web-<i>.web.default.svc (per-pod name)',
      name: i => `web-${i % pods}.web.${ns}.svc.cluster.local`,
      type: 'A',
      queries: 50_000,
    },
    {
      label: 'A  frontend.default.svc (ClusterIP)',
      name: () => `frontend.${ns}.svc.cluster.local`,
      type: 'A',
      queries: 50_000,
    },
    {
      label: 'A  <a-b-c-d>.default.pod (verified pod)',
      name: i => `${ipOf(i % pods).replaceAll('.', '-')}.${ns}.pod.cluster.local`,
      type: 'A',
      queries: 50_000,
    },
    {
      label: 'A  nope-<i>.default.svc (NXDOMAIN)',
      name: i => `nope-${i}.${ns}.svc.cluster.local`,
      type: 'A',
      queries: 50_000,
    },
    {
      label: 'PTR <ip>.in-addr.arpa (endpoint)',
      name: i =>
        `${ipOf(i % pods)
          .split('.')
          .reverse()
          .join('.')}.in-addr.arpa`,
      type: 'PTR',
      queries: 50_000,
    },
    {
      label: 'A  web.default.svc (1000 IPs, UDP: TC)',
      name: () => `web.${ns}.svc.cluster.local`,
      type: 'A',
      queries: 2_000,
      inFlight: 8,
    },
    {
      label: 'SRV _http._tcp.web (1000 targets, EDNS 4096)',
      name: () => `_http._tcp.web.${ns}.svc.cluster.local`,
      type: 'SRV',
      queries: 1_000,
      opts: { ednsUdpSize: 4096 },
      inFlight: 8,
    },
  ]
  for (const kind of kinds) console.log(await measure(dns, kind))
  dns.close()
  await server.close()
  client.close()
  await api.close()
  await store.close()
}

await main()
