/**
 * Content negotiation: decoding request bodies (JSON, YAML, Kubernetes protobuf; a missing
 * Content-Type means JSON) and reading what the client accepts (Tables, partial metadata).
 */
import { parse as parseYaml } from 'yaml'
import { badRequest, isStatusError, unsupportedMediaType } from '../../machinery/status-error.js'
import { decodeProtobufObject } from './protobuf/index.js'

/** A decoded request body plus the raw text (for duplicate-field checks). */
export interface DecodedBody {
  value: unknown
  text?: string
  format: 'json' | 'yaml' | 'protobuf'
}

/** The media type without parameters, lower case. */
export const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase()

/** Decodes a body by its Content-Type. Patch bodies are decoded by the patch handler. */
export function decodeBody(raw: Buffer, contentType: string | undefined): DecodedBody {
  const type = mediaType(contentType)
  if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      return { value: decodeProtobufObject(raw).object, format: 'protobuf' }
    } catch (e) {
      if (isStatusError(e)) throw e
      throw badRequest(`failed to decode protobuf body: ${(e as Error).message}`)
    }
  }
  const text = raw.toString('utf8')
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      return { value: parseYaml(text), text, format: 'yaml' }
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`)
    }
  }
  if (
    type === '' ||
    type === 'application/json' ||
    type === '*/*' ||
    type === 'application/merge-patch+json' ||
    type === 'application/strategic-merge-patch+json' ||
    type === 'application/json-patch+json'
  ) {
    if (!text.trim()) return { value: undefined, text, format: 'json' }
    try {
      return { value: JSON.parse(text), text, format: 'json' }
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`)
    }
  }
  throw unsupportedMediaType(type)
}

/** What kind of rendering the Accept header asks for. */
export interface AcceptInfo {
  table?: 'v1' | 'v1beta1'
  partialMetadata?: 'v1' | 'v1beta1'
}

/** Reads Accept; the first acceptable entry wins, as kube-apiserver negotiates. */
export function parseAccept(accept: string | undefined): AcceptInfo {
  for (const entry of (accept ?? '').split(',')) {
    const [type, ...params] = entry.split(';').map(s => s.trim())
    const p = Object.fromEntries(params.map(x => x.split('=').map(s => s.trim()) as [string, string]))
    if (p.as === 'Table' && p.g === 'meta.k8s.io') return { table: p.v === 'v1beta1' ? 'v1beta1' : 'v1' }
    if ((p.as === 'PartialObjectMetadata' || p.as === 'PartialObjectMetadataList') && p.g === 'meta.k8s.io')
      return { partialMetadata: p.v === 'v1beta1' ? 'v1beta1' : 'v1' }
    if (type === 'application/json' || type === '*/*' || type === 'application/vnd.kubernetes.protobuf') return {}
  }
  return {}
}
