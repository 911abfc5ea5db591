/**
 * End-to-end check of the OpenAPI v3 documents with the real kubectl 1.32: a throwaway stub server
 * serves /version, aggregated discovery and our documents, and kubectl must explain fields with our
 * descriptions and find the PATCH operations it needs for server-side field validation.
 * Skips when the kubectl binary is absent.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { shortNames, testResources } from './testdata.js'
import { buildOpenApiV3Root, openApiV3Built } from './v3.js'

const kubectl = process.env.PETSET_KUBECTL ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const skip = existsSync(kubectl) ? false : `kubectl not found at ${kubectl} (set PETSET_KUBECTL to run this test)`
const discoveryType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

/** One aggregated-discovery group item for the resources of `group`. */
function discoveryGroup(group: string) {
  const resources = testResources
    .filter(r => r.group === group)
    .map(r => ({
      resource: r.resource,
      responseKind: { group: r.group, version: r.version, kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.kind.toLowerCase(),
      verbs,
      ...(shortNames[r.resource] ? { shortNames: shortNames[r.resource] } : {}),
    }))
  return { metadata: { name: group }, versions: [{ version: 'v1', freshness: 'Current', resources }] }
}

function discoveryList(groups: string[]) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map(discoveryGroup),
  }
}

/** Requests the stub saw, as "METHOD path?query". */
const seen: string[] = []
/** Objects created through the stub, by URL path; PATCH bodies it received. */
const stored = new Map<string, Record<string, any>>()
const patches: { type: string; body: Record<string, any> }[] = []
let server: Server
let dir: string
let kubeconfig: string

function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  res.writeHead(code, { 'Content-Type': type })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

type Reply = [code: number, body: unknown, type?: string]

/** What the stub answers: /version, discovery, our OpenAPI documents, and a tiny object store. */
function reply(req: IncomingMessage, body: string): Reply {
  const url = new URL(req.url ?? '/', 'http://stub')
  seen.push(`${req.method} ${url.pathname}${url.search}`)
  const p = url.pathname
  if (p === '/version') return [200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' }]
  if (p === '/api') return [200, discoveryList(['']), discoveryType]
  if (p === '/apis')
    return [200, discoveryList([...new Set(testResources.map(r => r.group).filter(g => g))]), discoveryType]
  if (p === '/openapi/v3') return [200, buildOpenApiV3Root(testResources)]
  if (p.startsWith('/openapi/v3/')) {
    const gv = p.slice('/openapi/v3/'.length).replace(/^apis?\//, '')
    return [200, openApiV3Built(gv, testResources).text]
  }
  if (req.method === 'POST') {
    const obj = JSON.parse(body)
    obj.metadata = { ...obj.metadata, uid: 'u1', resourceVersion: '1', creationTimestamp: '2025-01-01T00:00:00Z' }
    stored.set(`${p}/${obj.metadata.name}`, obj)
    return [201, obj]
  }
  const obj = stored.get(p)
  if (obj && req.method === 'GET') return [200, obj]
  if (obj && req.method === 'PATCH') {
    patches.push({ type: req.headers['content-type'] ?? '', body: JSON.parse(body) })
    return [200, obj]
  }
  return [
    404,
    { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' },
  ]
}

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig }
    execFile(
      kubectl,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/** kubectl wraps descriptions; compare on collapsed whitespace. */
const flat = (s: string) => s.replace(/\s+/g, ' ')

before(async () => {
  if (skip) return
  dir = mkdtempSync(join(tmpdir(), 'petset-openapi-'))
  server = createServer((req, res) => {
    let body = ''
    req.on('data', c => (body += c))
    req.on('end', () => send(res, ...reply(req, body)))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: stub, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: stub, user: {}}]
contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
current-context: stub
`,
  )
})

after(() => {
  if (skip) return
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

test('kubectl explain sts.spec.updateStrategy.rollingUpdate.partition prints our description', { skip }, async () => {
  const { code, stdout, stderr } = await run('explain', 'sts.spec.updateStrategy.rollingUpdate.partition')
  assert.equal(code, 0, stderr)
  assert.match(stdout, /GROUP:\s+apps/)
  assert.match(stdout, /KIND:\s+StatefulSet/)
  assert.match(stdout, /VERSION:\s+v1/)
  assert.match(stdout, /FIELD: partition <integer>/)
  assert.match(flat(stdout), /Only pods whose ordinal is greater than or equal to this number are updated/)
  assert.ok(seen.some(s => s.startsWith('GET /openapi/v3/apis/apps/v1?hash=')))
})

test('kubectl explain sts and sts --recursive describe the kind', { skip }, async () => {
  const top = await run('explain', 'sts')
  assert.equal(top.code, 0, top.stderr)
  assert.match(flat(top.stdout), /Runs a numbered set of pods that each keep an identity/)
  assert.match(top.stdout, /spec\s+<StatefulSetSpec>/)
  const all = await run('explain', 'sts', '--recursive')
  assert.equal(all.code, 0, all.stderr)
  assert.match(all.stdout, /partition\s+<integer>/)
  assert.match(all.stdout, /volumeClaimTemplates\s+<\[\]PersistentVolumeClaim>/)
})

test('kubectl explain pods.spec.containers lists the container fields', { skip }, async () => {
  const { code, stdout, stderr } = await run('explain', 'pods.spec.containers')
  assert.equal(code, 0, stderr)
  assert.match(stdout, /KIND:\s+Pod/)
  assert.match(stdout, /FIELD: containers <\[\]Container>/)
  assert.match(flat(stdout), /The containers of the pod, at least one/)
  assert.match(stdout, /image\s+<string>/)
  assert.match(stdout, /name\s+<string> -required-/)
  assert.match(stdout, /ports\s+<\[\]ContainerPort>/)
})

test('kubectl explain pvc.spec.resources shows the storage amounts', { skip }, async () => {
  const { code, stdout, stderr } = await run('explain', 'pvc.spec.resources')
  assert.equal(code, 0, stderr)
  assert.match(stdout, /KIND:\s+PersistentVolumeClaim/)
  assert.match(stdout, /FIELD: resources <VolumeResourceRequirements>/)
  assert.match(flat(stdout), /How much storage is needed/)
  assert.match(stdout, /requests\s+<map\[string\]Quantity>/)
})

test('kubectl create -f validates on the server: it finds fieldValidation and never asks for v2', {
  skip,
}, async () => {
  const manifest = join(dir, 'claim.yaml')
  writeFileSync(
    manifest,
    `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: my-pvc}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 5Gi}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  selector: {matchLabels: {app: nginx}}
  serviceName: nginx
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: nginx, image: nginx}]}
`,
  )
  seen.length = 0
  const { code, stdout, stderr } = await run('create', '-f', manifest)
  assert.equal(code, 0, stderr)
  assert.match(stdout, /persistentvolumeclaim\/my-pvc created/)
  assert.match(stdout, /statefulset.apps\/web created/)
  const posts = seen.filter(s => s.startsWith('POST '))
  assert.equal(posts.length, 2)
  for (const p of posts) assert.match(p, /fieldValidation=Strict/)
  assert.ok(!seen.some(s => s.includes('/openapi/v2')), `kubectl fell back to v2: ${seen.join(', ')}`)
})

const webSet = (image: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web2}
spec:
  selector: {matchLabels: {app: nginx}}
  serviceName: nginx
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80, name: web}]
`

test('kubectl apply computes its strategic merge patch from our schemas', { skip }, async () => {
  const manifest = join(dir, 'web.yaml')
  writeFileSync(manifest, webSet('nginx:1.9.1'))
  let out = await run('apply', '-f', manifest)
  assert.equal(out.code, 0, out.stderr)
  writeFileSync(manifest, webSet('nginx:1.10'))
  seen.length = 0
  out = await run('apply', '-f', manifest)
  assert.equal(out.code, 0, out.stderr)
  assert.match(out.stdout, /statefulset.apps\/web2 configured/)
  assert.equal(patches.length, 1)
  assert.equal(patches[0]!.type, 'application/strategic-merge-patch+json')
  const spec = patches[0]!.body.spec.template.spec
  assert.deepEqual(spec['$setElementOrder/containers'], [{ name: 'nginx' }])
  assert.deepEqual(spec.containers, [{ image: 'nginx:1.10', name: 'nginx' }])
  assert.ok(seen.some(s => /^PATCH .*fieldValidation=Strict/.test(s)))
  assert.ok(!seen.some(s => s.includes('/openapi/v2')), `kubectl fell back to v2: ${seen.join(', ')}`)
})
