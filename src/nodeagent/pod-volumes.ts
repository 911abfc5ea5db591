/**
 * PodVolumes: the volumes of one pod on this node (the kubelet's volume manager, per pod). Sets
 * up every volume of the spec through its plugin before the sandbox starts, re-projects API-data
 * volumes when their objects change, and tears everything down (unmounting first) once the pod
 * is gone. Also: which ConfigMaps and Secrets a pod references, and clean-up of pod directories
 * no pod claims.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Pod } from '../api/pod.js'
import type { Logger } from '../client/log.js'
import { envReferences } from './env.js'
import { removeVolumeDir } from './volumes/mount.js'
import { pluginFor, volumePlugins } from './volumes/plugins.js'
import { type MountedVolume, setUpFailedMessage, type VolumeHost, type VolumePlugin } from './volumes/volume.js'

/** What PodVolumes needs from the agent. */
export interface PodVolumesDeps {
  /** `<data-dir>/nodes/<node>/pods/<uid>`. */
  podDir: string
  host: VolumeHost
  log: Logger
  plugins?: readonly VolumePlugin[]
}

/**
 * The ConfigMaps and Secrets a pod reads: every container's env, and (unless volumes is false)
 * its configMap, secret and projected volumes.
 */
export function podReferences(pod: Pod, opts: { volumes?: boolean; plugins?: readonly VolumePlugin[] } = {}) {
  const configMaps = new Set<string>()
  const secrets = new Set<string>()
  const plugins = opts.plugins ?? volumePlugins
  for (const v of opts.volumes === false ? [] : (pod.spec.volumes ?? [])) {
    const refs = pluginFor(v, plugins)?.references?.(v)
    for (const n of refs?.configMaps ?? []) configMaps.add(n)
    for (const n of refs?.secrets ?? []) secrets.add(n)
  }
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const refs = envReferences(c)
    for (const n of refs.configMaps) configMaps.add(n)
    for (const n of refs.secrets) secrets.add(n)
  }
  return { configMaps: [...configMaps], secrets: [...secrets] }
}

/** One pod's volumes. */
export class PodVolumes {
  private readonly mounted = new Map<string, MountedVolume>()
  private readonly plugins: readonly VolumePlugin[]

  constructor(private readonly deps: PodVolumesDeps) {
    this.plugins = deps.plugins ?? volumePlugins
  }

  /** The pod's directory. */
  get podDir(): string {
    return this.deps.podDir
  }

  /** Volumes set up so far, by name. */
  get mounts(): ReadonlyMap<string, MountedVolume> {
    return this.mounted
  }

  /** Sets up every volume not set up yet; resolves the FailedMount messages of those that failed. */
  async setUp(pod: Pod): Promise<string[]> {
    const failures: string[] = []
    for (const volume of pod.spec.volumes ?? []) {
      if (this.mounted.has(volume.name)) continue
      const plugin = pluginFor(volume, this.plugins)
      if (!plugin) {
        failures.push(setUpFailedMessage(volume.name, 'no volume plugin matched'))
        continue
      }
      try {
        this.mounted.set(volume.name, await plugin.setUp(this.context(pod, volume)))
      } catch (err) {
        failures.push(setUpFailedMessage(volume.name, (err as Error).message))
      }
    }
    return failures
  }

  /** Re-projects the mounted API-data volumes (new ConfigMap data, labels, tokens); failures are logged, old files stay. */
  async refresh(pod: Pod): Promise<void> {
    for (const volume of pod.spec.volumes ?? []) {
      if (!this.mounted.has(volume.name)) continue
      const plugin = pluginFor(volume, this.plugins)
      if (!plugin?.update) continue
      try {
        if (await plugin.update(this.context(pod, volume)))
          this.deps.log.debug({ volume: volume.name }, 'Volume content updated')
      } catch (err) {
        this.deps.log.warn({ err, volume: volume.name }, 'Unable to update volume content')
      }
    }
  }

  /** Tears down every volume, then removes the pod directory (refusing while anything stays mounted). */
  async tearDown(pod: Pod): Promise<void> {
    for (const volume of pod.spec.volumes ?? []) {
      const plugin = pluginFor(volume, this.plugins)
      try {
        await plugin?.tearDown(this.context(pod, volume))
      } catch (err) {
        this.deps.log.warn({ err, volume: volume.name }, 'Unable to tear down volume')
      }
    }
    this.mounted.clear()
    await removeVolumeDir(this.deps.host.mounter, this.deps.podDir)
  }

  private context(pod: Pod, volume: NonNullable<Pod['spec']['volumes']>[number]) {
    return { pod, volume, podDir: this.deps.podDir, host: this.deps.host }
  }
}

/** Removes pod directories under podsDir whose uid is not in keep (left by pods deleted while the agent was down). */
export async function removeOrphanPodDirs(
  podsDir: string,
  keep: (uid: string) => boolean,
  host: VolumeHost,
  log: Logger,
): Promise<void> {
  for (const uid of await readdir(podsDir).catch(() => [] as string[])) {
    if (keep(uid)) continue
    await removeVolumeDir(host.mounter, join(podsDir, uid)).catch(err =>
      log.warn({ err, uid }, 'Unable to remove an orphaned pod directory'),
    )
  }
}
