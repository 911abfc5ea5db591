/**
 * Pod IP allocation persisted in files, CNI host-local style: one file per allocated address
 * (`<dir>/<ip>`, content: the owner id) created with O_EXCL, so a restarted agent (or a
 * second process) never hands out an address that is still in use. Addresses go round-robin after
 * the last one handed out (`last_reserved_ip`), so a freed address is not reused at once (stale
 * ARP entries and connections of the old pod). .0, .1 (the bridge) and the broadcast address are
 * never handed out. `<dir>/range` records the CIDR; a different CIDR drops the old allocations
 * (their addresses are no longer routable anyway).
 */
import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type CIDRv4, canonicalCIDR, formatIPv4, parseCIDRv4, parseIPv4 } from './cidr.js'

/** Every address of the CIDR is taken. */
export class IpamExhausted extends Error {
  readonly code = 'IpamExhausted'
  constructor(cidr: string) {
    super(`failed to allocate for range 0: no IP addresses available in range set: ${cidr}`)
    this.name = 'IpamExhausted'
  }
}

/**
 * The offsets to try, in order: those after `last`, wrapping to the first usable one (2; 1 is the
 * gateway), never the broadcast. Pure.
 */
export function candidateOffsets(size: number, last: number | undefined): number[] {
  const first = 2
  const end = size - 1 // exclusive: the broadcast address
  const out: number[] = []
  if (end <= first) return out
  const start = last !== undefined && last >= first && last < end ? last + 1 : first
  for (let i = 0; i < end - first; i++) out.push(first + ((start - first + i) % (end - first)))
  return out
}

const lastFile = 'last_reserved_ip'
const rangeFile = 'range'

/** File-backed allocator for one node's pod CIDR. Calls are serialized within the instance. */
export class FileIpam {
  private net: CIDRv4 | undefined
  private cidr = ''
  private queue: Promise<unknown> = Promise.resolve()

  /** dir: where the allocation files live (created on first use). */
  constructor(readonly dir: string) {}

  /** Sets the range to allocate from; a range other than the recorded one drops every allocation. */
  setRange(cidr: string): Promise<void> {
    return this.serial(async () => {
      const canonical = canonicalCIDR(cidr)
      await mkdir(this.dir, { recursive: true, mode: 0o700 })
      const recorded = await readFile(join(this.dir, rangeFile), 'utf8').then(
        t => t.trim(),
        () => '',
      )
      if (recorded !== canonical) {
        // No record yet: the files are adopted sandboxes' (reserve before the first range); keep them.
        if (recorded) for (const ip of (await this.scan()).keys()) await unlink(join(this.dir, ip)).catch(ignoreMissing)
        await rm(join(this.dir, lastFile), { force: true })
        await writeFile(join(this.dir, rangeFile), `${canonical}\n`)
      }
      this.net = parseCIDRv4(canonical)
      this.cidr = canonical
    })
  }

  /** The range set last ("10.244.1.0/24"), or undefined before setRange. */
  range(): string | undefined {
    return this.net ? this.cidr : undefined
  }

  /** The address held by owner, allocating one if it has none; rejects IpamExhausted when full. */
  allocate(owner: string): Promise<string> {
    if (!owner || /[\n/]/.test(owner)) return Promise.reject(new Error(`invalid IPAM owner "${owner}"`))
    return this.serial(async () => {
      const net = this.net
      if (!net) throw new Error('IPAM has no range yet')
      const held = await this.scan()
      for (const [ip, who] of held) if (who === owner) return ip
      const last = await readFile(join(this.dir, lastFile), 'utf8').then(
        t => parseIPv4(t.trim()) - net.base,
        () => undefined,
      )
      for (const offset of candidateOffsets(net.size, last)) {
        const ip = formatIPv4(net.base + offset)
        if (held.has(ip)) continue
        try {
          await writeFile(join(this.dir, ip), `${owner}\n`, { flag: 'wx', mode: 0o600 })
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue // another process took it
          throw err
        }
        await writeFile(join(this.dir, lastFile), ip)
        return ip
      }
      throw new IpamExhausted(this.cidr)
    })
  }

  /** Records ip as owner's (adopting a surviving sandbox); an address held by someone else is left alone. */
  reserve(ip: string, owner: string): Promise<void> {
    return this.serial(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 })
      await writeFile(join(this.dir, ip), `${owner}\n`, { flag: 'wx', mode: 0o600 }).catch(err => {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      })
    })
  }

  /** Frees every address owner holds; resolves with the (first) freed address, if any. */
  release(owner: string): Promise<string | undefined> {
    return this.serial(async () => {
      let freed: string | undefined
      for (const [ip, who] of await this.scan())
        if (who === owner) {
          await unlink(join(this.dir, ip)).catch(ignoreMissing)
          freed ??= ip
        }
      return freed
    })
  }

  /** Frees the addresses of every owner not in keep (owners gone while the agent was down). */
  releaseExcept(keep: ReadonlySet<string>): Promise<string[]> {
    return this.serial(async () => {
      const freed: string[] = []
      for (const [ip, who] of await this.scan())
        if (!keep.has(who)) {
          await unlink(join(this.dir, ip)).catch(ignoreMissing)
          freed.push(ip)
        }
      return freed
    })
  }

  /** Current allocations: address → owner. */
  allocations(): Promise<Map<string, string>> {
    return this.serial(() => this.scan())
  }

  /** Forgets every allocation and the range (after all pods are gone). */
  wipe(): Promise<void> {
    return this.serial(async () => {
      await rm(this.dir, { recursive: true, force: true })
      this.net = undefined
    })
  }

  private async scan(): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    const names = await readdir(this.dir).catch(err => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[]
      throw err
    })
    for (const name of names) {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(name)) continue
      const owner = await readFile(join(this.dir, name), 'utf8').catch(() => undefined)
      if (owner !== undefined) out.set(name, owner.trim())
    }
    return out
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return run
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}
