/**
 * What a container process runs, from its ContainerConfig and its image's config: Kubernetes'
 * command/args rules, the environment (image first, container overrides, Docker's defaults) and
 * the image user resolved through a passwd/group file. Pure apart from reading those two files.
 */
import { readFile } from 'node:fs/promises'
import type { ImageConfig } from '../images/types.js'
import type { ContainerConfig } from '../runtime.js'

/** PATH when neither the image nor the container sets one (Docker's default). */
export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/**
 * argv per the Kubernetes rules: `command` replaces the image's entrypoint and drops its cmd;
 * `args` replace the cmd. Throws when nothing is left to run.
 */
export function containerArgv(config: Pick<ContainerConfig, 'command' | 'args'>, image: ImageConfig): string[] {
  const argv = config.command?.length
    ? [...config.command, ...(config.args ?? [])]
    : [...(image.entrypoint ?? []), ...(config.args?.length ? config.args : (image.cmd ?? []))]
  if (!argv.length) throw new Error('failed to generate spec: no command specified')
  return argv
}

/** Parses "K=V" entries into a record (later entries win). */
export function envRecord(entries: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of entries ?? []) {
    const eq = e.indexOf('=')
    if (eq > 0) out[e.slice(0, eq)] = e.slice(eq + 1)
  }
  return out
}

/** The process environment: defaults, then the image's, then HOSTNAME, then the container's own. */
export function containerEnv(opts: {
  image: ImageConfig
  config: Pick<ContainerConfig, 'env' | 'tty'>
  hostname: string
  home: string
}): Record<string, string> {
  const env: Record<string, string> = { PATH: defaultPath, HOME: opts.home }
  if (opts.config.tty) env.TERM = 'xterm'
  Object.assign(env, envRecord(opts.image.env), { HOSTNAME: opts.hostname })
  for (const { name, value } of opts.config.env ?? []) env[name] = value
  return env
}

/** A resolved user: numeric ids, as runc and spawn take them. */
export interface NumericUser {
  uid: number
  gid: number
  additionalGids?: number[]
  /** The home directory from passwd (if the user was found there). */
  home?: string
}

function lookup(text: string, key: string): string[] | undefined {
  for (const line of text.split('\n')) {
    const fields = line.split(':')
    if (fields[0] === key || (/^\d+$/.test(key) && fields[2] === key)) return fields
  }
  return undefined
}

/**
 * Resolves an image `user` ("name", "uid", "uid:gid", "name:group") with passwd and group text.
 * A numeric uid absent from passwd keeps gid 0 (Docker's rule); an unknown name throws.
 */
export function resolveUser(user: string | undefined, passwd: string, group: string): NumericUser {
  if (!user) return { uid: 0, gid: 0, home: '/root' }
  const [u = '', g] = user.split(':')
  const pw = lookup(passwd, u)
  if (!pw && !/^\d+$/.test(u)) throw new Error(`unable to find user ${u}: no matching entries in passwd file`)
  const uid = pw ? Number(pw[2]) : Number(u)
  let gid = pw ? Number(pw[3]) : 0
  if (g !== undefined) {
    const gr = lookup(group, g)
    if (!gr && !/^\d+$/.test(g)) throw new Error(`unable to find group ${g}: no matching entries in group file`)
    gid = gr ? Number(gr[2]) : Number(g)
  }
  const name = pw?.[0]
  const additionalGids = name
    ? group
        .split('\n')
        .map(l => l.split(':'))
        .filter(f => f[3]?.split(',').includes(name) && Number(f[2]) !== gid)
        .map(f => Number(f[2]))
    : []
  return { uid, gid, home: pw?.[5] || undefined, ...(additionalGids.length ? { additionalGids } : {}) }
}

/** resolveUser with the passwd and group files of an /etc directory (missing files read as empty). */
export async function resolveUserIn(etcDir: string, user: string | undefined): Promise<NumericUser> {
  const read = (f: string) => readFile(`${etcDir}/${f}`, 'utf8').catch(() => '')
  return resolveUser(user, await read('passwd'), await read('group'))
}
