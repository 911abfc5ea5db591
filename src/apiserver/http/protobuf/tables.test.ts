/**
 * Checks on the message tables themselves. The always-on part: they compile, every kind resolves,
 * nothing is dead. The upstream part: kubectl binaries embed the gzipped FileDescriptorProtos of
 * every generated.proto (gogo registers them), so when kubectl 1.33 is installed we decode those
 * (with this package's own decoder) and check every tabled field's number, name, type, cardinality
 * and Go pointer-ness, and that every upstream field is tabled or deliberately left out.
 * Set PETSET_KUBECTL_DESCRIPTORS to another kubectl binary to check against it; absent, it skips.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { inflateRawSync } from 'node:zlib'
import { decodeMessage } from './decode.js'
import { supportedKinds } from './index.js'
import { rootMessageFor } from './kinds.js'
import { allMessageTables } from './messages/index.js'
import { compileSchema, type MessageTable, type Schema } from './schema.js'
import { specialDecoders } from './special.js'

const schema = compileSchema(allMessageTables, new Set(specialDecoders.keys()))

describe('tables', () => {
  test('every supported kind resolves to a message', () => {
    for (const [apiVersion, kind] of supportedKinds()) {
      const root = rootMessageFor(apiVersion === '*' ? 'v1' : apiVersion, kind)
      assert.ok(root && schema.has(root), `${apiVersion} ${kind}`)
    }
  })

  test('every message is reachable from a kind (no dead entries)', () => {
    const seen = new Set<string>()
    const visit = (name: string) => {
      if (seen.has(name) || !schema.has(name)) return
      seen.add(name)
      for (const f of schema.message(name).fields.values()) if (f.value.kind === 'message') visit(f.value.name)
    }
    for (const [apiVersion, kind] of supportedKinds())
      visit(rootMessageFor(apiVersion === '*' ? 'v1' : apiVersion, kind)!)
    assert.deepEqual(
      schema.names().filter(n => !seen.has(n)),
      [],
    )
  })
})

// --- upstream descriptors ---------------------------------------------------------------------

/** The slice of descriptor.proto we need, plus gogoproto.nullable (65001). */
const descriptorTable: MessageTable = {
  FileDescriptorProto: { 1: 'name string', 2: 'package string', 4: 'messageType []DescriptorProto' },
  DescriptorProto: {
    1: 'name string',
    2: 'field []FieldDescriptorProto',
    3: 'nestedType []DescriptorProto',
    7: 'options MessageOptions',
  },
  MessageOptions: { 7: 'mapEntry bool' },
  FieldDescriptorProto: {
    1: 'name string',
    3: 'number int32',
    4: 'label int32',
    5: 'type int32',
    6: 'typeName string',
    8: 'options FieldOptions',
  },
  FieldOptions: { 65001: 'nullable bool!' },
}

interface Field {
  name: string
  number: number
  label: number
  type: number
  typeName?: string
  options?: { nullable?: boolean }
}
interface Message {
  name: string
  field?: Field[]
  nestedType?: Message[]
  options?: { mapEntry?: boolean }
}

const SCALAR_TYPES: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
}

/** Which upstream package each table's messages come from, for names that exist in several. */
const AUTOSCALING_V1 = new Set([
  'HorizontalPodAutoscaler',
  'HorizontalPodAutoscalerSpec',
  'HorizontalPodAutoscalerStatus',
  'Scale',
  'ScaleSpec',
  'ScaleStatus',
  'CrossVersionObjectReference',
])
function upstreamName(name: string, packages: Map<string, Message>): string {
  if (name.endsWith('V2')) return `k8s.io.api.autoscaling.v2.${name.slice(0, -2)}`
  if (AUTOSCALING_V1.has(name)) return `k8s.io.api.autoscaling.v1.${name}`
  const pkgs = [
    'k8s.io.apimachinery.pkg.apis.meta.v1',
    'k8s.io.api.core.v1',
    'k8s.io.api.apps.v1',
    'k8s.io.api.batch.v1',
    'k8s.io.api.rbac.v1',
    'k8s.io.api.policy.v1',
    'k8s.io.api.scheduling.v1',
    'k8s.io.api.autoscaling.v2',
    'k8s.io.api.networking.v1',
    'k8s.io.api.authentication.v1',
  ]
  return pkgs.map(p => `${p}.${name}`).find(fq => packages.has(fq)) ?? name
}

/** Upstream fields left out on purpose (see the NOTE comments in messages/). */
const NOT_TABLED = new Set([
  'PodSpec.34',
  'PodStatus.8',
  'PodStatus.10',
  'PodStatus.13',
  'PodStatus.15',
  'HorizontalPodAutoscalerStatusV2.5',
  ...[3, 4, 5, 8, 9, 11, 12, 13, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25, 27].map(n => `VolumeSource.${n}`),
])
/** The two tabled fields whose JSON name is not their proto name. */
const JSON_NAMES: Record<string, string> = {
  'IngressClassParametersReference.aPIGroup': 'apiGroup',
  'BoundObjectReference.uID': 'uid',
}

function loadDescriptors(binary: string): Map<string, Message> {
  const bin = readFileSync(binary)
  const gzipHeader = Buffer.from('1f8b08000000000002ff', 'hex')
  const descriptors = compileSchema([descriptorTable], new Set())
  const messages = new Map<string, Message>()
  for (let at = bin.indexOf(gzipHeader); at >= 0; at = bin.indexOf(gzipHeader, at + 1)) {
    let file: { name?: string; package?: string; messageType?: Message[] }
    try {
      file = decodeMessage(
        descriptors,
        'FileDescriptorProto',
        inflateRawSync(bin.subarray(at + 10, at + 10 + 400_000)),
        { specials: new Map() },
      )
    } catch {
      continue // not a descriptor
    }
    if (!file.name?.endsWith('generated.proto') || !file.package) continue
    const add = (prefix: string, m: Message) => {
      messages.set(`${prefix}.${m.name}`, m)
      for (const n of m.nestedType ?? []) add(`${prefix}.${m.name}`, n)
    }
    for (const m of file.messageType ?? []) add(file.package, m)
  }
  return messages
}

function checkMessage(name: string, schema: Schema, upstream: Map<string, Message>): string[] {
  const problems: string[] = []
  const fq = upstreamName(name, upstream)
  const m = upstream.get(fq)
  if (!m) return [`${name}: no upstream message ${fq}`]
  const ours = schema.message(name).fields
  for (const f of m.field ?? []) {
    const where = `${name}.${f.name} (${f.number})`
    const def = ours.get(f.number)
    if (!def) {
      if (!NOT_TABLED.has(`${name}.${f.number}`)) problems.push(`${where}: not tabled`)
      continue
    }
    const entry = f.type === 11 ? upstream.get(f.typeName!.slice(1)) : undefined
    const isMap = entry?.options?.mapEntry === true
    const valueField = isMap ? entry!.field!.find(x => x.number === 2)! : f
    const want = valueField.type === 11 ? valueField.typeName!.split('.').pop()! : SCALAR_TYPES[valueField.type]
    const got = def.value.kind === 'scalar' ? def.value.scalar : def.value.name.replace(/V2$/, '')
    if (got !== want) problems.push(`${where}: type ${got}, upstream ${want}`)
    if (!def.inline && def.jsonName !== (JSON_NAMES[`${name}.${f.name}`] ?? f.name))
      problems.push(`${where}: named ${def.jsonName}`)
    if (isMap !== Boolean(def.mapKey)) problems.push(`${where}: map mismatch`)
    if (!isMap && (f.label === 3) !== def.repeated) problems.push(`${where}: repeated mismatch`)
    const pointer = f.label !== 3 && f.type !== 11 && f.options?.nullable !== false
    if (pointer && !def.keepZero) problems.push(`${where}: Go pointer, needs !`)
  }
  for (const n of ours.keys())
    if (!m.field?.some(f => f.number === n)) problems.push(`${name}: field ${n} is not upstream`)
  return problems
}

const binary = process.env.PETSET_KUBECTL_DESCRIPTORS ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'

test('tables match the descriptors compiled into kubectl', {
  skip: !existsSync(binary) && `${binary} not installed`,
}, () => {
  const upstream = loadDescriptors(binary)
  assert.ok(upstream.size > 400, `found ${upstream.size} upstream messages`)
  const problems = schema.names().flatMap(name => checkMessage(name, schema, upstream))
  assert.deepEqual(problems, [])
})
