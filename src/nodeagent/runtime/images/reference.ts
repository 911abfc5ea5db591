/**
 * Image references as docker and containerd parse them: "nginx" → docker.io/library/nginx:latest,
 * "ikubernetes/myapp:v1" → docker.io/ikubernetes/myapp:v1. Pure: no I/O.
 */

/** A parsed, normalized image reference. */
export interface ImageReference {
  /** Registry host ("docker.io", "registry.k8s.io", "localhost:5000"). */
  domain: string
  /** Repository path inside the registry ("library/nginx"). */
  path: string
  /** "<domain>/<path>": the repository. */
  repository: string
  /** The tag; "latest" when the reference names neither tag nor digest. */
  tag?: string
  /** "sha256:<hex>" when the reference pins a digest. */
  digest?: string
  /** The full normalized reference: repository[:tag][@digest]. */
  name: string
}

/** The reference does not parse (containerd's "invalid reference format"). */
export class InvalidReference extends Error {
  readonly code = 'InvalidReference'
  constructor(
    readonly reference: string,
    reason: string,
  ) {
    super(`couldn't parse image name "${reference}": invalid reference format${reason ? `: ${reason}` : ''}`)
    this.name = 'InvalidReference'
  }
}

const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const domainRe =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/
const tagRe = /^[\w][\w.-]{0,127}$/
const digestRe = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/

/** A first path component is a registry when it has a "." or ":" or is "localhost" (docker's rule). */
function isDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost'
}

/** Parses and normalizes a reference the way docker does; throws InvalidReference. */
export function parseReference(reference: string): ImageReference {
  let rest = reference.trim()
  if (!rest || rest !== reference) throw new InvalidReference(reference, '')
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!digestRe.test(digest)) throw new InvalidReference(reference, 'invalid digest')
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!tagRe.test(tag)) throw new InvalidReference(reference, 'invalid tag')
  }
  const parts = rest.split('/')
  let domain = 'docker.io'
  if (parts.length > 1 && isDomain(parts[0]!)) {
    domain = parts.shift()!
    if (!domainRe.test(domain)) throw new InvalidReference(reference, 'invalid registry')
    if (domain === 'index.docker.io') domain = 'docker.io'
  }
  if (parts.some(p => p !== p.toLowerCase())) throw new InvalidReference(reference, 'repository name must be lowercase')
  if (!parts.length || parts.some(p => !component.test(p))) throw new InvalidReference(reference, '')
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library')
  const path = parts.join('/')
  if (!tag && !digest) tag = 'latest'
  const repository = `${domain}/${path}`
  const name = repository + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '')
  return { domain, path, repository, tag, digest, name }
}

/** The normalized name of a reference; throws InvalidReference. */
export function normalizeImageName(reference: string): string {
  return parseReference(reference).name
}

/** "<repository>@<digest>" for a normalized name and an image id (the container's imageID). */
export function imageRefOf(name: string, id: string): string {
  const at = name.indexOf('@')
  if (at >= 0) return name
  const colon = name.lastIndexOf(':')
  const repository = colon > name.lastIndexOf('/') ? name.slice(0, colon) : name
  return `${repository}@${id}`
}

/** The short form `petset image ls` and docker print: "nginx:1.9.1" for docker.io/library/nginx:1.9.1. */
export function familiarName(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '')
}
