/**
 * Splits a name inside the cluster zone into the parts Kubernetes DNS names are made of
 * (CoreDNS's parseRequest). Pure. Shapes, relative to the zone:
 *   svc | pod                           apex of a sub-tree (NODATA)
 *   <ns>.svc | <ns>.pod                 a namespace
 *   <service>.<ns>.svc                  a Service (or, under pod, a dashed pod IP)
 *   <endpoint>.<service>.<ns>.svc       one endpoint by hostname or dashed IP
 *   _<port>._<proto>.<service>.<ns>.svc named port (SRV)
 * Anything longer, or not under svc/pod, is not a name we can have: a name error.
 */

/** The parts of a cluster name. Empty strings are absent parts (CoreDNS's wildcards). */
export interface RecordRequest {
  /** "svc", "pod", or "" for the zone apex. */
  podOrSvc: '' | 'svc' | 'pod'
  namespace: string
  /** The Service name, or the dashed IP of a pod. */
  service: string
  /** An endpoint's hostname or dashed IP. */
  endpoint: string
  /** The port name from _<port>, without the underscore. */
  port: string
  /** The protocol from _<proto>, without the underscore. */
  protocol: string
}

/** Parses base, the lower-case name with the zone removed ("" for the apex); undefined: a name error. */
export function parseRequest(base: string): RecordRequest | undefined {
  const r: RecordRequest = { podOrSvc: '', namespace: '', service: '', endpoint: '', port: '', protocol: '' }
  if (base === '') return r
  const segs = base.split('.')
  let last = segs.length - 1
  const kind = segs[last]
  if (kind !== 'svc' && kind !== 'pod') return undefined
  r.podOrSvc = kind
  if (--last < 0) return r
  r.namespace = segs[last]!
  if (--last < 0) return r
  r.service = segs[last]!
  if (--last < 0) return r
  if (last === 0) {
    r.endpoint = segs[0]!
    return r
  }
  if (last === 1) {
    r.protocol = stripUnderscore(segs[1]!)
    r.port = stripUnderscore(segs[0]!)
    return r
  }
  return undefined
}

const stripUnderscore = (s: string): string => (s.startsWith('_') ? s.slice(1) : s)
