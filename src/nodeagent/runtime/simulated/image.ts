/**
 * Image names as a container runtime reports them: docker's normalisation ("nginx" →
 * "docker.io/library/nginx:latest") and a stable fake digest reference for imageID. Pure.
 */
import { createHash } from 'node:crypto'

/** Splits off a registry when the first path component looks like a host (has "." or ":" or is localhost). */
function hasRegistry(name: string): boolean {
  const first = name.split('/')[0] ?? ''
  return name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
}

/** Docker reference normalisation: default registry, library/ namespace and :latest tag. */
export function normalizeImage(image: string): string {
  let name = image
  let suffix = ''
  const at = name.indexOf('@')
  if (at >= 0) {
    suffix = name.slice(at)
    name = name.slice(0, at)
  }
  const lastSlash = name.lastIndexOf('/')
  const colon = name.indexOf(':', lastSlash + 1)
  if (colon < 0 && !suffix) suffix = ':latest'
  if (!hasRegistry(name)) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`
  return name + suffix
}

/** "repo@sha256:<hex>" for a normalised image: a digest derived from the name, stable across runs. */
export function imageRefOf(normalized: string): string {
  const at = normalized.indexOf('@')
  if (at >= 0) return normalized
  const lastSlash = normalized.lastIndexOf('/')
  const colon = normalized.indexOf(':', lastSlash + 1)
  const repo = colon < 0 ? normalized : normalized.slice(0, colon)
  return `${repo}@sha256:${createHash('sha256').update(normalized).digest('hex')}`
}
