/**
 * Golden tests on real bodies: each fixtures/<name>.b64 is a protobuf body captured from kubectl 1.32
 * or 1.33, and fixtures/<name>.json is the JSON the same command prints with --dry-run=client -o json
 * (or, where kubectl has no dry run, the JSON body kubectl 1.31 sends). fixtures/README.md lists the
 * commands. The only normalization: JSON nulls are dropped (see dropNulls).
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { decodeProtobufObject, type UnknownField } from './index.js'

/** The fixtures beside the source; `npm test` runs the compiled copy in dist/, which has none. */
function fixturesDir(): URL {
  const here = new URL('./fixtures/', import.meta.url)
  return existsSync(here) ? here : new URL(here.href.replace('/dist/src/', '/src/'))
}

const dir = fixturesDir()
const names = readdirSync(dir)
  .filter(f => f.endsWith('.b64'))
  .map(f => f.slice(0, -'.b64'.length))
  .sort()

const body = (name: string) => Buffer.from(readFileSync(new URL(`${name}.b64`, dir), 'utf8').trim(), 'base64')
const expected = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'))

/**
 * Go prints `null` for a zero metav1.Time (`creationTimestamp: null`) and for nil slices without
 * omitempty (`rules: null`, `currentMetrics: null`). The wire cannot tell null from absent, and
 * the decoder omits such fields so server defaults apply; for the REST API the two are the same.
 */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls)
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, dropNulls(x)]),
    )
  }
  return v
}

function decode(name: string) {
  const unknown: UnknownField[] = []
  const decoded = decodeProtobufObject(body(name), { onUnknownField: u => unknown.push(u) })
  return { ...decoded, unknown }
}

describe('kubectl fixtures decode to the JSON kubectl prints for the same command', () => {
  test('there are fixtures', () => assert.ok(names.length >= 40, `found ${names.length}`))
  for (const name of names) {
    test(name, () => {
      const want = expected(name)
      const got = decode(name)
      assert.deepEqual(got.object, dropNulls(want))
      assert.equal(got.kind, want.kind)
      assert.equal(got.apiVersion, want.apiVersion)
      assert.deepEqual(got.unknown, [], 'every field kubectl sent is in the tables')
    })
  }
})

describe('what the server relies on', () => {
  test('a generic Secret has no type, so the server defaults it to Opaque; data is base64', () => {
    const { object } = decode('secret-generic')
    assert.equal('type' in object, false)
    assert.deepEqual(object.data, { password: 'czNjcjN0', user: 'YWRtaW4=' })
  })

  test('binary ConfigMap data arrives in binaryData as base64', () => {
    const { object } = decode('configmap-files')
    assert.equal(typeof (object.binaryData as Record<string, string>).bin, 'string')
    assert.equal((object.data as Record<string, string>).k, 'v')
  })

  test('targetPort keeps number versus name', () => {
    const spec = decode('service-clusterip').object.spec as { ports: Array<{ targetPort: unknown }> }
    assert.deepEqual(
      spec.ports.map(p => p.targetPort),
      [8080, 'https'],
    )
  })

  test('explicit zeros that mean something survive: replicas 0, value 0, gracePeriodSeconds 0', () => {
    assert.equal((decode('deployment-multi').object.spec as { replicas: number }).replicas, 0)
    assert.equal(decode('priorityclass-zero').object.value, 0)
    assert.equal(decode('drain-delete').object.gracePeriodSeconds, 0)
  })

  test('metadata carries no creationTimestamp and no empty strings', () => {
    assert.deepEqual(decode('namespace').object.metadata, { name: 'n' })
  })
})
