/**
 * A container's mounts (the kubelet's makeMounts): each volumeMount becomes a bind of its
 * volume's host path, or of a path beneath it for `subPath`/`subPathExpr`. Sub-paths are
 * validated (no absolute paths, no `..`), created when missing (with the volume's mode) and
 * resolved through symlinks; one that leaves its volume is refused with the kubelet's message
 * `failed to prepare subPath for volumeMount "x" of container "y"`. Errors are
 * ContainerConfigErrors (the container waits in CreateContainerConfigError).
 */
import { lstat, mkdir, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, sep } from 'node:path'
import type { Container, VolumeMount } from '../api/pod.js'
import { ContainerConfigError, expandVars } from './env.js'
import type { Mount } from './runtime/runtime.js'
import type { MountedVolume } from './volumes/volume.js'

const within = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

/** Creates the missing parts of subPath under volumePath without following a symlink out of it. */
async function safeMakeDir(volumePath: string, subPath: string, fail: () => Error): Promise<void> {
  const root = await realpath(volumePath)
  const mode = (await stat(volumePath)).mode & 0o7777
  let current = volumePath
  for (const part of subPath.split('/').filter(p => p && p !== '.')) {
    current = join(current, part)
    const st = await lstat(current).catch(() => undefined)
    if (!st) {
      await mkdir(current, { mode })
      continue
    }
    const real = await realpath(current).catch(() => undefined)
    if (!real || !within(real, root)) throw fail()
  }
}

/** The host path for mount's subPath under volumePath; rejects with the kubelet's messages. */
export async function resolveSubPath(input: {
  volumePath: string
  subPath: string
  mountName: string
  containerName: string
}): Promise<string> {
  const { volumePath, subPath, mountName, containerName } = input
  if (isAbsolute(subPath)) throw new ContainerConfigError(`error SubPath \`${subPath}\` must not be an absolute path`)
  if (subPath.split(/[/\\]/).includes('..'))
    throw new ContainerConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`)
  const full = join(volumePath, subPath)
  const where = `for volumeMount "${mountName}" of container "${containerName}"`
  if (!(await stat(full).catch(() => undefined)))
    await safeMakeDir(
      volumePath,
      subPath,
      () => new ContainerConfigError(`failed to create subPath directory ${where}`),
    )
  const root = await realpath(volumePath)
  const real = await realpath(full).catch(() => undefined)
  if (!real || !within(real, root)) throw new ContainerConfigError(`failed to prepare subPath ${where}`)
  return real
}

/** The binds for every volumeMount of the container. */
export async function containerMounts(input: {
  container: Container
  volumes: ReadonlyMap<string, MountedVolume>
  env: { name: string; value: string }[]
}): Promise<Mount[]> {
  const { container, volumes } = input
  const envMap = new Map(input.env.map(e => [e.name, e.value]))
  const mounts: Mount[] = []
  for (const m of container.volumeMounts ?? []) {
    const vol = volumes.get(m.name)
    if (!vol)
      throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${container.name}"`)
    let hostPath = vol.hostPath
    const subPath = subPathOf(m, envMap)
    if (subPath)
      hostPath = await resolveSubPath({
        volumePath: vol.hostPath,
        subPath,
        mountName: m.name,
        containerName: container.name,
      })
    const mount: Mount = { containerPath: m.mountPath, hostPath }
    if (m.readOnly || vol.readOnly) mount.readOnly = true
    mounts.push(mount)
  }
  return mounts
}

/** subPath, or subPathExpr expanded with the container's env. */
function subPathOf(m: VolumeMount, env: Map<string, string>): string | undefined {
  if (m.subPathExpr) return expandVars(m.subPathExpr, n => env.get(n))
  return m.subPath || undefined
}
