/**
 * Authentication: bearer tokens mapped to users. Health and version endpoints are open to
 * anonymous clients (as kube-apiserver's public-info-viewer role allows); everything else
 * needs a known token. Tokens are compared in constant time and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export interface UserInfo {
  name: string
  groups: string[]
}

/** Paths anonymous clients may read. */
const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz'])

export const isPublicPath = (path: string) => publicPaths.has(path) || /^\/(healthz|livez|readyz)\//.test(path)

const digest = (s: string) => createHash('sha256').update(s).digest()

/** A token → user table; extra authenticators (service accounts, bootstrap tokens) can be chained. */
export class TokenAuthenticator {
  private readonly tokens = new Map<string, { hash: Buffer; user: UserInfo }>()
  private readonly chain: ((token: string) => Promise<UserInfo | undefined> | UserInfo | undefined)[] = []

  /** Registers a static token for a user. */
  add(token: string, user: UserInfo): void {
    this.tokens.set(digest(token).toString('hex'), { hash: digest(token), user })
  }

  /** Adds a fallback authenticator (e.g. service-account JWTs). */
  use(fn: (token: string) => Promise<UserInfo | undefined> | UserInfo | undefined): void {
    this.chain.push(fn)
  }

  /** The user behind the request's bearer token, or undefined. */
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const header = req.headers.authorization
    if (!header?.startsWith('Bearer ')) return undefined
    const token = header.slice(7).trim()
    if (!token) return undefined
    const h = digest(token)
    const hit = this.tokens.get(h.toString('hex'))
    if (hit && timingSafeEqual(hit.hash, h)) return hit.user
    for (const fn of this.chain) {
      const user = await fn(token)
      if (user) return user
    }
    return undefined
  }
}
