/** A VolumeHost and Mounter for plugin tests: objects from maps, mounts recorded, never executed. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from '../../api/core.js'
import type { Pod, Volume } from '../../api/pod.js'
import type { Mounter } from './mount.js'
import type { VolumeContext, VolumeHost } from './volume.js'

/** Mounts kept in a set; canMount answers from `supported`. */
export class FakeMounter implements Mounter {
  readonly mounted = new Map<string, { source: string; fstype: string; options?: string[] }>()
  constructor(readonly supported: string[] = []) {}
  async mount(source: string, target: string, opts: { fstype: string; options?: string[] }) {
    this.mounted.set(target, { source, ...opts })
  }
  async unmount(target: string) {
    this.mounted.delete(target)
  }
  async mountsUnder(dir: string) {
    return [...this.mounted.keys()]
      .filter(p => p === dir || p.startsWith(dir + sep))
      .sort((a, b) => b.length - a.length)
  }
  canMount(fstype: string) {
    return this.supported.includes(fstype)
  }
}

/** The objects a fake host serves, by `namespace/name` (PVs by name). */
export interface FakeObjects {
  configMaps?: Record<string, ConfigMap>
  secrets?: Record<string, Secret>
  claims?: Record<string, PersistentVolumeClaim>
  volumes?: Record<string, PersistentVolume>
}

/** A host over in-memory objects; tokens are `token-<n>` unless tokenError is set. */
export function fakeHost(objects: FakeObjects = {}, mounter = new FakeMounter()) {
  let tokens = 0
  const host: VolumeHost & { tokenError?: string; tokenRequests: unknown[] } = {
    tokenRequests: [],
    getConfigMap: async (ns, name) => objects.configMaps?.[`${ns}/${name}`],
    getSecret: async (ns, name) => objects.secrets?.[`${ns}/${name}`],
    getPersistentVolumeClaim: async (ns, name) => objects.claims?.[`${ns}/${name}`],
    getPersistentVolume: async name => objects.volumes?.[name],
    async requestServiceAccountToken(req) {
      host.tokenRequests.push(req)
      if (host.tokenError) throw new Error(host.tokenError)
      return { token: `token-${++tokens}`, expirationTimestamp: '2030-01-01T00:00:00Z' }
    },
    nodeAllocatable: () => ({ cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' }),
    mounter,
    now: () => Date.UTC(2025, 0, 2, 3, 4, 5),
  }
  return host
}

/** A pod with one container and the given volumes. */
export function podWith(volumes: Volume[], extra: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'web-0', namespace: 'default', uid: 'uid-1', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx' }], volumes, ...extra },
  }
}

/** A fresh temp dir standing for the pod dir, and its cleanup. */
export async function tempPodDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'petset-vol-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** The context for volume `name` of pod. */
export function contextFor(pod: Pod, name: string, podDir: string, host: VolumeHost): VolumeContext {
  const volume = pod.spec.volumes!.find(v => v.name === name)!
  return { pod, volume, podDir, host }
}
