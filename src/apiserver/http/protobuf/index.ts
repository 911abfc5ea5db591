/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies (sent by kubectl 1.32+ for
 * `create configmap|secret|deployment|...`, `create token`, `autoscale`, and by typed Go clients)
 * into the JSON object the REST handlers already accept. Decode only: responses stay JSON.
 * Errors are StatusErrors: 400 for malformed bodies, 415 for kinds without a message table.
 */
import { badRequest, StatusError } from '../../../machinery/status-error.js'
import { type DecodeMessageOptions, decodeMessage, type UnknownField } from './decode.js'
import { decodeEnvelope } from './envelope.js'
import { rootMessageFor } from './kinds.js'
import { allMessageTables } from './messages/index.js'
import { compileSchema, type Schema } from './schema.js'
import { specialDecoders } from './special.js'
import { WireError } from './wire.js'

export type { UnknownField } from './decode.js'
export { PROTOBUF_MAGIC } from './envelope.js'
export { supportedKinds } from './kinds.js'

/** The media type kubectl and client-go use for protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf'

/** A decoded body: the envelope's type and the object in its JSON form (kind and apiVersion set). */
export interface DecodedObject {
  apiVersion: string
  kind: string
  object: Record<string, unknown>
}

/** Options for decodeProtobufObject. */
export interface DecodeProtobufOptions {
  /** Called for each field number the tables do not know; the field is skipped either way. */
  onUnknownField?: (field: UnknownField) => void
}

let schema: Schema | undefined

/** The compiled tables; compiled on first use, and a broken table throws here, loudly. */
function getSchema(): Schema {
  schema ??= compileSchema(allMessageTables, new Set(specialDecoders.keys()))
  return schema
}

/**
 * Decodes a protobuf request body.
 * @example decodeProtobufObject(body).object // { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, data: { a: 'b' } }
 */
export function decodeProtobufObject(body: Uint8Array, options: DecodeProtobufOptions = {}): DecodedObject {
  try {
    const envelope = decodeEnvelope(body)
    const { apiVersion, kind } = envelope
    if (envelope.contentEncoding) {
      throw unsupported(`protobuf bodies with contentEncoding "${envelope.contentEncoding}" are not supported`)
    }
    const root = kind ? rootMessageFor(apiVersion, kind) : undefined
    if (!root) {
      throw unsupported(
        `the server cannot decode kind "${kind}" (apiVersion "${apiVersion}") from ${PROTOBUF_MEDIA_TYPE}; send it as application/json`,
      )
    }
    const decodeOptions: DecodeMessageOptions = { specials: specialDecoders, onUnknownField: options.onUnknownField }
    const fields = decodeMessage(getSchema(), root, envelope.raw, decodeOptions)
    return { apiVersion, kind, object: { kind, apiVersion, ...fields } }
  } catch (e) {
    if (e instanceof WireError) throw badRequest(`unable to decode the protobuf body: ${e.message}`)
    throw e
  }
}

/** 415 UnsupportedMediaType with our own message (the machinery helper's message is fixed). */
function unsupported(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'UnsupportedMediaType',
    code: 415,
  })
}
