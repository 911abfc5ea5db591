/**
 * The Kubernetes protobuf envelope: 4 magic bytes "k8s\0", then a runtime.Unknown message
 * `{1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}` whose raw bytes hold
 * the typed object (k8s.io/apimachinery/pkg/runtime/generated.proto). Throws WireError on bad input.
 */
import { utf8 } from './special.js'
import { WireError, WireReader, WireType } from './wire.js'

/** "k8s\0", the prefix of every Kubernetes protobuf body. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00)

/** The decoded runtime.Unknown. */
export interface Envelope {
  apiVersion: string
  kind: string
  raw: Uint8Array
  contentEncoding: string
  contentType: string
}

/** Checks the magic prefix and decodes the runtime.Unknown that follows. */
export function decodeEnvelope(body: Uint8Array): Envelope {
  if (body.length < PROTOBUF_MAGIC.length || PROTOBUF_MAGIC.some((b, i) => body[i] !== b)) {
    throw new WireError('body does not start with the Kubernetes protobuf prefix "k8s\\x00"')
  }
  const out: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '', contentType: '' }
  const r = new WireReader(body.subarray(PROTOBUF_MAGIC.length))
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (wireType !== WireType.LengthDelimited) {
      r.skip(wireType)
      continue
    }
    if (field === 1) readTypeMeta(r.bytes(), out)
    else if (field === 2) out.raw = r.bytes()
    else if (field === 3) out.contentEncoding = utf8(r.bytes())
    else if (field === 4) out.contentType = utf8(r.bytes())
    else r.skip(wireType)
  }
  return out
}

function readTypeMeta(bytes: Uint8Array, out: Envelope) {
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (field === 1 && wireType === WireType.LengthDelimited) out.apiVersion = utf8(r.bytes())
    else if (field === 2 && wireType === WireType.LengthDelimited) out.kind = utf8(r.bytes())
    else r.skip(wireType)
  }
}
