/**
 * The sandboxes of a shim-based runtime: their records (persisted through StateDirs) and their
 * network (through the SandboxNetwork hook). Containers are the runtime's business: callers stop
 * and remove a sandbox's containers before calling stop/remove here.
 */
import { randomBytes } from 'node:crypto'
import type { PodSandboxConfig, RuntimeClock } from '../runtime.js'
import type { SandboxNetwork, SandboxNetworkRequest } from './network.js'
import type { SandboxRecord, StateDirs } from './records.js'

/** Per-pod files a runtime lays out for its sandboxes (runc: /etc/hosts, ...). */
export interface SandboxFilesHooks {
  prepare(sb: SandboxRecord): Promise<void>
  /** Called when the last sandbox of a pod uid is removed. */
  cleanup(sb: SandboxRecord): Promise<void>
}

/** The live sandbox records of one runtime. */
export class SandboxSet {
  private readonly byId = new Map<string, SandboxRecord>()

  constructor(
    private readonly dirs: StateDirs,
    private readonly network: SandboxNetwork,
    private readonly clock: RuntimeClock,
    private readonly files: SandboxFilesHooks,
  ) {}

  /** The record of id, if known. */
  get(id: string): SandboxRecord | undefined {
    return this.byId.get(id)
  }

  /** Every record. */
  list(): SandboxRecord[] {
    return [...this.byId.values()]
  }

  /** A ready sandbox with its network and files; nothing is left behind when it fails. */
  async create(config: PodSandboxConfig): Promise<SandboxRecord> {
    const id = randomBytes(32).toString('hex')
    const req: SandboxNetworkRequest = { id, uid: config.uid, namespace: config.namespace, name: config.name }
    const network = config.hostNetwork ? {} : await this.network.setup(req)
    const rec: SandboxRecord = {
      status: { ...req, state: 'ready', ip: network.ip, createdAt: this.clock.now() },
      config,
      network,
    }
    try {
      await this.files.prepare(rec)
      await this.dirs.saveSandbox(rec)
    } catch (err) {
      await this.network.teardown(req, network)
      throw err
    }
    this.byId.set(id, rec)
    return rec
  }

  /** Releases the network and marks the sandbox not ready (its containers must have stopped). */
  async stop(sb: SandboxRecord): Promise<void> {
    if (sb.status.state === 'notready') return
    if (!sb.config.hostNetwork) await this.network.teardown(sb.status, sb.network)
    sb.status.state = 'notready'
    await this.dirs.saveSandbox(sb)
  }

  /** Forgets a stopped sandbox (its containers must be gone); pod files go with the pod's last one. */
  async remove(sb: SandboxRecord): Promise<void> {
    this.byId.delete(sb.status.id)
    if (!this.list().some(s => s.status.uid === sb.status.uid)) await this.files.cleanup(sb)
    await this.dirs.deleteSandbox(sb)
  }

  /** Takes over a record found on disk after a restart. */
  adopt(sb: SandboxRecord): void {
    this.byId.set(sb.status.id, sb)
    if (sb.status.state === 'ready' && !sb.config.hostNetwork) this.network.adopt(sb.status, sb.network)
  }
}
