/**
 * Service-account tokens: ES256 JWTs signed with the cluster's service-account key
 * (<data-dir>/pki/sa.key), issued through the TokenRequest API and accepted as bearer tokens.
 * Bound tokens name their pod; a token stops working when its account or pod is gone (uid check).
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
  verify,
} from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { UserInfo } from './auth.js'

/** The issuer and default audience, as kube-apiserver configures them by default. */
export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local'

export interface TokenClaims {
  namespace: string
  serviceAccount: { name: string; uid: string }
  pod?: { name: string; uid: string }
  node?: { name: string; uid?: string }
  audiences: string[]
  /** Seconds since the epoch. */
  issuedAt: number
  expiresAt: number
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url')

/** Loads the signing key from dir, creating an EC P-256 key on first use. */
export function loadOrCreateSigningKey(dir: string | undefined): KeyObject {
  if (dir) {
    const file = join(dir, 'sa.key')
    if (existsSync(file)) return createPrivateKey(readFileSync(file))
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    writeFileSync(join(dir, 'sa.pub'), createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }))
    return privateKey
  }
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
}

/** Issues and verifies service-account JWTs. */
export class ServiceAccountTokens {
  private readonly publicKey: KeyObject
  private readonly kid: string

  constructor(
    private readonly key: KeyObject,
    readonly issuer = defaultIssuer,
  ) {
    this.publicKey = createPublicKey(key)
    const der = this.publicKey.export({ type: 'spki', format: 'der' })
    this.kid = b64url(Buffer.from(der).subarray(-32))
  }

  /** A signed token for the claims. */
  issue(c: TokenClaims): string {
    const header = { alg: 'ES256', kid: this.kid }
    const k8s: Record<string, unknown> = {
      namespace: c.namespace,
      serviceaccount: { name: c.serviceAccount.name, uid: c.serviceAccount.uid },
    }
    if (c.pod) k8s.pod = c.pod
    if (c.node) k8s.node = c.node
    const payload = {
      aud: c.audiences,
      exp: c.expiresAt,
      iat: c.issuedAt,
      nbf: c.issuedAt,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      sub: `system:serviceaccount:${c.namespace}:${c.serviceAccount.name}`,
    }
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
    const sig = sign('sha256', Buffer.from(input), { key: this.key, dsaEncoding: 'ieee-p1363' })
    return `${input}.${b64url(sig)}`
  }

  /** The claims of a valid, unexpired token for one of the audiences, or undefined. */
  verify(token: string, nowSeconds: number, audiences: string[] = [this.issuer]): TokenClaims | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const [h, p, s] = parts as [string, string, string]
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString())
      if (header.alg !== 'ES256') return undefined
      const ok = verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'),
      )
      if (!ok) return undefined
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
      if (payload.iss !== this.issuer || typeof payload.exp !== 'number' || payload.exp < nowSeconds) return undefined
      const aud: string[] = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
      if (!aud.some(a => audiences.includes(a))) return undefined
      const k8s = payload['kubernetes.io']
      if (!k8s?.namespace || !k8s.serviceaccount?.name) return undefined
      return {
        namespace: k8s.namespace,
        serviceAccount: k8s.serviceaccount,
        pod: k8s.pod,
        node: k8s.node,
        audiences: aud,
        issuedAt: payload.iat,
        expiresAt: payload.exp,
      }
    } catch {
      return undefined
    }
  }
}

/** The user a verified token authenticates as. */
export function serviceAccountUser(c: TokenClaims): UserInfo {
  return {
    name: `system:serviceaccount:${c.namespace}:${c.serviceAccount.name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${c.namespace}`, 'system:authenticated'],
  }
}
