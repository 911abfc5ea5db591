/**
 * Which names are built in: a table from repository (and tag pattern) to a definition.
 * Any tag unless the row says otherwise. Definitions are built once per key and cached.
 */
import type { ImageReference } from '../reference.js'
import type { BuiltinImage } from './define.js'
import { busyboxImage, debianImage, dnsutilsImage } from './host.js'
import { kubiaImage } from './kubia.js'
import { myappImage, nginxImage } from './nginx.js'

interface Row {
  repositories: string[]
  /** Tags this row accepts (default: any). */
  tags?: RegExp
  /** Example names for `petset image ls`. */
  shown: string[]
  build(ref: ImageReference): BuiltinImage
}

const rows: Row[] = [
  { repositories: ['docker.io/library/nginx'], shown: ['docker.io/library/nginx:*'], build: () => nginxImage() },
  {
    // Seed 004 runs nginx from a private registry (harbor.hyz.com/library/mynginx:v1): an nginx
    // under another name, so the tutorial runs verbatim here.
    repositories: ['harbor.hyz.com/library/mynginx'],
    shown: ['harbor.hyz.com/library/mynginx:*'],
    build: () => nginxImage(),
  },
  {
    repositories: ['docker.io/ikubernetes/myapp'],
    tags: /^v\d+$/,
    shown: ['docker.io/ikubernetes/myapp:v1', 'docker.io/ikubernetes/myapp:v2'],
    build: ref => myappImage(ref.tag ?? 'v1'),
  },
  {
    repositories: ['docker.io/luksa/kubia-pet'],
    shown: ['docker.io/luksa/kubia-pet:*'],
    build: () => kubiaImage(false),
  },
  {
    repositories: ['docker.io/luksa/kubia-pet-peers'],
    shown: ['docker.io/luksa/kubia-pet-peers:*'],
    build: () => kubiaImage(true),
  },
  { repositories: ['docker.io/library/busybox'], shown: ['docker.io/library/busybox:*'], build: busyboxImage },
  { repositories: ['docker.io/tutum/dnsutils'], shown: ['docker.io/tutum/dnsutils:*'], build: dnsutilsImage },
  {
    repositories: ['docker.io/library/debian-host', 'docker.io/library/debian'],
    shown: ['docker.io/library/debian-host:*', 'docker.io/library/debian:*'],
    build: debianImage,
  },
]

const cache = new Map<string, BuiltinImage>()

function cached(row: Row, ref: ImageReference): BuiltinImage {
  const key = `${rows.indexOf(row)}:${row.tags ? ref.tag : ''}`
  let def = cache.get(key)
  if (!def) cache.set(key, (def = row.build(ref)))
  return def
}

/** The built-in for a normalized reference, if petset has one (digest-pinned names never match). */
export function findBuiltin(ref: ImageReference): BuiltinImage | undefined {
  if (ref.digest) return undefined
  const row = rows.find(r => r.repositories.includes(ref.repository) && (!r.tags || r.tags.test(ref.tag ?? '')))
  return row && cached(row, ref)
}

/** Every built-in under its example names, for listing. */
export function builtinRows(): { name: string; def: BuiltinImage }[] {
  return rows.flatMap(row =>
    row.shown.map(name => {
      const tag = name.slice(name.lastIndexOf(':') + 1)
      const repository = name.slice(0, name.lastIndexOf(':'))
      const [domain, ...path] = repository.split('/')
      return { name, def: cached(row, { domain: domain!, path: path.join('/'), repository, tag, name }) }
    }),
  )
}
