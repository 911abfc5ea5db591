/**
 * Reads an extracted image archive: an OCI image layout (`oci-layout`, `index.json`, `blobs/`)
 * or a `docker save` archive (`manifest.json`, config JSON, layer tars). Finds each image's names,
 * config and layer files; unpacking is the store's job. Reads files only.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { digestFile, safeComponents, UnsafeArchive } from './tar.js'
import type { ImageConfig } from './types.js'

/** One image found in an archive. */
export interface ArchiveImage {
  /** Names as the archive gives them (not yet normalized); empty for an untagged image. */
  names: string[]
  /** "sha256:<hex>" of the config JSON: the image id. */
  id: string
  config: ImageConfig
  /** Layer tar files (maybe gzip), lowest first, with the digest the archive claims for them. */
  layers: { file: string; digest?: string }[]
}

const indexTypes = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
])

interface Descriptor {
  mediaType?: string
  digest: string
  annotations?: Record<string, string>
  platform?: { os?: string; architecture?: string }
}

/** The OCI/docker config subset petset keeps, from a parsed image config JSON. */
export function imageConfigOf(json: unknown): ImageConfig {
  const c = ((json as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined)
  const out: ImageConfig = {}
  const entrypoint = strings(c.Entrypoint)
  const cmd = strings(c.Cmd)
  const env = strings(c.Env)
  if (entrypoint?.length) out.entrypoint = entrypoint
  if (cmd?.length) out.cmd = cmd
  if (env?.length) out.env = env
  if (typeof c.WorkingDir === 'string' && c.WorkingDir) out.workingDir = c.WorkingDir
  if (typeof c.User === 'string' && c.User) out.user = c.User
  const ports = Object.keys((c.ExposedPorts as object | null) ?? {})
    .map(p => Number.parseInt(p, 10))
    .filter(p => p > 0)
  if (ports.length) out.exposedPorts = [...new Set(ports)]
  return out
}

/** Reads the images of an extracted archive directory; throws UnsafeArchive when it is neither format. */
export async function readArchive(root: string): Promise<ArchiveImage[]> {
  if (existsSync(join(root, 'manifest.json'))) return readDockerSave(root)
  if (existsSync(join(root, 'index.json')) && existsSync(join(root, 'oci-layout'))) return readOciLayout(root)
  throw new UnsafeArchive(
    'not an image archive: expected an OCI image layout (oci-layout, index.json) or docker save output (manifest.json)',
  )
}

/** A path inside the archive from a name the archive gives; throws on traversal. */
function inside(root: string, rel: string): string {
  const file = join(root, ...safeComponents(rel, 'archive path'))
  if (!existsSync(file)) throw new UnsafeArchive(`image archive lacks ${rel}`)
  return file
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'))
  } catch (e) {
    throw new UnsafeArchive(`cannot parse ${file}: ${(e as Error).message}`)
  }
}

async function readDockerSave(root: string): Promise<ArchiveImage[]> {
  const manifest = await readJson(join(root, 'manifest.json'))
  if (!Array.isArray(manifest)) throw new UnsafeArchive('manifest.json is not a list')
  const images: ArchiveImage[] = []
  for (const m of manifest as { Config?: string; RepoTags?: string[] | null; Layers?: string[] }[]) {
    if (typeof m.Config !== 'string' || !Array.isArray(m.Layers))
      throw new UnsafeArchive('manifest.json entry lacks Config or Layers')
    const configFile = inside(root, m.Config)
    const config = imageConfigOf(await readJson(configFile))
    images.push({
      names: (m.RepoTags ?? []).map(String),
      id: await digestFile(configFile),
      config,
      layers: m.Layers.map(l => ({ file: inside(root, l) })),
    })
  }
  return images
}

/** blobs/<alg>/<hex> for a digest, checked against the digest when small enough to read. */
function blobPath(root: string, digest: string): string {
  const m = /^(sha256|sha512):([a-f0-9]{64,128})$/.exec(digest)
  if (!m) throw new UnsafeArchive(`invalid digest "${digest}"`)
  return inside(root, `blobs/${m[1]}/${m[2]}`)
}

async function verifiedJson(root: string, digest: string): Promise<unknown> {
  const file = blobPath(root, digest)
  if ((await digestFile(file)) !== digest && digest.startsWith('sha256:')) {
    throw new UnsafeArchive(`blob ${digest} does not match its digest`)
  }
  return readJson(file)
}

const archOf: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
}

/** The names a descriptor's annotations give: containerd's full name, else a ref.name that is one. */
function namesOf(d: Descriptor): string[] {
  const full = d.annotations?.['io.containerd.image.name']
  if (full) return [full]
  const ref = d.annotations?.['org.opencontainers.image.ref.name']
  // A bare ref.name ("v1", "latest") is only a tag: without a repository the image stays untagged.
  return ref && (ref.includes('/') || ref.includes(':')) ? [ref] : []
}

async function readOciLayout(root: string): Promise<ArchiveImage[]> {
  const index = (await readJson(join(root, 'index.json'))) as { manifests?: Descriptor[] }
  const images: ArchiveImage[] = []
  const visit = async (d: Descriptor, names: string[], depth: number): Promise<void> => {
    if (depth > 4) throw new UnsafeArchive('image index nesting too deep')
    const doc = (await verifiedJson(root, d.digest)) as {
      mediaType?: string
      manifests?: Descriptor[]
      config?: Descriptor
      layers?: (Descriptor & { mediaType?: string })[]
    }
    if (indexTypes.has(d.mediaType ?? doc.mediaType ?? '') || Array.isArray(doc.manifests)) {
      const children = doc.manifests ?? []
      const arch = archOf[process.arch] ?? process.arch
      const pick =
        children.find(c => c.platform?.os === 'linux' && c.platform?.architecture === arch) ??
        children.find(c => c.platform?.architecture !== 'unknown')
      if (!pick) throw new UnsafeArchive(`image index ${d.digest} has no manifest for linux/${arch}`)
      return visit(pick, names.length ? names : namesOf(pick), depth + 1)
    }
    if (!doc.config?.digest || !Array.isArray(doc.layers))
      throw new UnsafeArchive(`manifest ${d.digest} lacks config or layers`)
    for (const l of doc.layers) {
      if (l.mediaType?.includes('zstd'))
        throw new UnsafeArchive(`layer ${l.digest} is zstd-compressed, which petset cannot unpack`)
    }
    images.push({
      names,
      id: doc.config.digest,
      config: imageConfigOf(await verifiedJson(root, doc.config.digest)),
      layers: doc.layers.map(l => ({ file: blobPath(root, l.digest), digest: l.digest })),
    })
  }
  for (const d of index.manifests ?? []) await visit(d, namesOf(d), 0)
  if (!images.length) throw new UnsafeArchive('index.json lists no image manifests')
  return images
}
