/**
 * Service-account tokens for projected volumes (the kubelet's token manager): a TokenRequest
 * (`POST serviceaccounts/<sa>/token`, authentication.k8s.io/v1) bound to the pod, cached per
 * pod, account, audience and lifetime, and renewed once 80% of its lifetime (or 24 h) has passed.
 */
import type { Pod } from '../api/pod.js'
import type { Clock } from '../client/clock.js'
import type { RestClient } from '../client/rest-client.js'
import type { ServiceAccountToken } from './volumes/volume.js'

interface Cached extends ServiceAccountToken {
  issuedAt: number
  expiresAt: number
}

interface TokenRequestBody {
  status?: { token?: string; expirationTimestamp?: string }
}

/** Obtains and caches bound service-account tokens. */
export class TokenManager {
  private readonly cache = new Map<string, Cached>()

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
  ) {}

  /** A token for the pod's service account; rejects with the API's message. */
  async get(req: { pod: Pod; audience?: string; expirationSeconds: number }): Promise<ServiceAccountToken> {
    const { pod } = req
    const ns = pod.metadata.namespace ?? 'default'
    const sa = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default'
    const key = [pod.metadata.uid, ns, sa, req.audience ?? '', req.expirationSeconds].join('|')
    const now = this.clock.now()
    const cached = this.cache.get(key)
    if (cached && !needsRefresh(cached, now)) return cached
    const res = await this.client.request<TokenRequestBody>({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(sa)}/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          audiences: req.audience ? [req.audience] : [],
          expirationSeconds: req.expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
        },
      },
    })
    const token = res.body?.status?.token
    if (!token) throw new Error(`no token in the TokenRequest response for ${ns}/${sa}`)
    const expirationTimestamp = res.body.status?.expirationTimestamp ?? ''
    const expiresAt = Date.parse(expirationTimestamp) || now + req.expirationSeconds * 1000
    const entry = { token, expirationTimestamp, issuedAt: now, expiresAt }
    this.cache.set(key, entry)
    return entry
  }

  /** Drops the pod's tokens (it left the node). */
  forget(uid: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${uid}|`)) this.cache.delete(key)
  }
}

/** Renew after 80% of the lifetime, or after 24 h (the kubelet's rule). */
function needsRefresh(t: Cached, now: number): boolean {
  const ttl = t.expiresAt - t.issuedAt
  return now >= t.issuedAt + ttl * 0.8 || now >= t.issuedAt + 24 * 3600_000
}
