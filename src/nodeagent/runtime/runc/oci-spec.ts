/**
 * The OCI runtime spec (config.json) of one container, with the deltas from `runc spec` that
 * runc-notes §2 verified: no terminal unless a TTY was asked for, Docker's 14 capabilities, a
 * NOFILE limit the agent itself may grant, the pod hostname in its own UTS namespace, own PID,
 * IPC and mount namespaces, the pod's network namespace when the network gave one (else the
 * node's), resource limits under a per-container cgroup. Pure: data in, JSON-ready data out.
 */
import type { ContainerResources } from '../runtime.js'

/** One OCI mount. */
export interface OciMount {
  destination: string
  type: string
  source: string
  options?: string[]
}

/** Docker's default capability set (runc-notes §2): nginx, postgres and setpriv patterns need them. */
export const defaultCapabilities = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
]

/** runc's default mounts minus the cgroup one (not needed, runc-notes §2). */
export function defaultMounts(): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc' },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  ]
}

/** A bind mount (rbind: mounts below the source come along). */
export function bindMount(destination: string, source: string, readOnly: boolean): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', readOnly ? 'ro' : 'rw', 'nodev'] }
}

/** A tmpfs mount with a mode ("1777", "755"). */
export function tmpfsMount(destination: string, mode: string): OciMount {
  return { destination, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', `mode=${mode}`] }
}

/** An overlay mount of lower (read-only) with a writable upper/work pair. */
export function overlayMount(destination: string, lower: string, upper: string, work: string): OciMount {
  return {
    destination,
    type: 'overlay',
    source: 'overlay',
    options: [`lowerdir=${lower}`, `upperdir=${upper}`, `workdir=${work}`],
  }
}

/** What one container's spec is made of. */
export interface OciSpecInput {
  args: string[]
  env: Record<string, string>
  cwd: string
  user: { uid: number; gid: number; additionalGids?: number[] }
  hostname: string
  terminal: boolean
  /** Relative to the bundle ("rootfs"). */
  rootfs: string
  /** In mount order, after the defaults (the caller orders them: runc-notes §3). */
  mounts: OciMount[]
  /** The pod's network namespace; absent: the node's network (no network namespace entry). */
  netnsPath?: string
  resources?: ContainerResources
  cgroupsPath: string
  /** The NOFILE limit (soft = hard); at most what the agent's own hard limit allows. */
  nofile: number
}

/** CFS period runc uses by default (µs); quota = millicores × period / 1000. */
const cfsPeriod = 100_000

/** linux.resources for the limits: memory, pids and CPU quota/shares; devices deny-all. */
export function linuxResources(r: ContainerResources | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { devices: [{ allow: false, access: 'rwm' }] }
  if (r?.memoryLimitBytes) out.memory = { limit: Math.floor(r.memoryLimitBytes) }
  if (r?.pidsLimit) out.pids = { limit: Math.floor(r.pidsLimit) }
  const cpu: Record<string, number> = {}
  if (r?.cpuQuotaMilli)
    Object.assign(cpu, { quota: Math.max(1000, Math.floor((r.cpuQuotaMilli * cfsPeriod) / 1000)), period: cfsPeriod })
  if (r?.cpuRequestMilli) cpu.shares = Math.max(2, Math.floor((r.cpuRequestMilli * 1024) / 1000))
  if (Object.keys(cpu).length) out.cpu = cpu
  return out
}

/** The config.json object. */
export function ociSpec(input: OciSpecInput): Record<string, unknown> {
  const caps = [...defaultCapabilities]
  const namespaces: { type: string; path?: string }[] = [
    { type: 'pid' },
    { type: 'ipc' },
    { type: 'uts' },
    { type: 'mount' },
  ]
  if (input.netnsPath) namespaces.push({ type: 'network', path: input.netnsPath })
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: input.terminal,
      user: {
        uid: input.user.uid,
        gid: input.user.gid,
        ...(input.user.additionalGids?.length ? { additionalGids: input.user.additionalGids } : {}),
      },
      args: input.args,
      env: Object.entries(input.env).map(([k, v]) => `${k}=${v}`),
      cwd: input.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: input.nofile, soft: input.nofile }],
      noNewPrivileges: false,
    },
    root: { path: input.rootfs, readonly: false },
    hostname: input.hostname,
    mounts: [...defaultMounts(), ...input.mounts],
    linux: {
      resources: linuxResources(input.resources),
      cgroupsPath: input.cgroupsPath,
      namespaces,
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  }
}
