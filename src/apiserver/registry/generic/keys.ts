/**
 * Storage keys and continue tokens for the generic registry. Keys follow kube-apiserver's
 * layout: /registry/<group|core>/<resource>/[<namespace>/]<name>. Pure.
 */
import { badRequest, expired } from '../../../machinery/status-error.js'

/** Prefix for every object of a resource, optionally within one namespace. */
export function resourcePrefix(group: string, resource: string, namespace?: string): string {
  const base = `/registry/${group || 'core'}/${resource}/`
  return namespace ? `${base}${namespace}/` : base
}

/** Key of one object. Cluster-scoped objects have no namespace segment. */
export function objectKey(group: string, resource: string, namespace: string | undefined, name: string): string {
  return `${resourcePrefix(group, resource, namespace)}${name}`
}

interface ContinueToken {
  v: 'meta.k8s.io/v1'
  rv: number
  start: string
}

/** Encodes where the next page starts (the last key returned) and the list's revision. */
export function encodeContinue(revision: number, lastKey: string, prefix: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: revision, start: `${lastKey.slice(prefix.length)}\u0000` }
  return Buffer.from(JSON.stringify(token)).toString('base64')
}

/** Decodes a continue token into the revision and the key to start after. */
export function decodeContinue(token: string, prefix: string): { revision: number; startAfter: string } {
  let parsed: ContinueToken
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data at input byte 0')
  }
  if (parsed?.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
  if (parsed.start.includes('..') || parsed.start.startsWith('/'))
    throw badRequest('continue key is not valid: path traversal not allowed')
  return { revision: parsed.rv, startAfter: prefix + parsed.start.replace(/\u0000$/, '') }
}

/** The 410 a client gets when its continue token points at compacted history. */
export const continueExpired = () =>
  expired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  )
