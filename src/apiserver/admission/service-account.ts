/**
 * ServiceAccount admission: pods run as spec.serviceAccountName (default "default"), which
 * must exist, and unless automounting is off they get the projected kube-api-access volume
 * (token, ca.crt, namespace) mounted read-only in every container.
 */
import { randomBytes } from 'node:crypto'
import type { KObject } from '../../api/meta.js'
import { forbidden } from '../../machinery/status-error.js'
import type { AdmissionPlugin } from './admission.js'

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount'
const alphabet = 'bcdfghjklmnpqrstvwxz2456789'

interface Container {
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[]
}
interface PodSpec {
  serviceAccountName?: string
  serviceAccount?: string
  automountServiceAccountToken?: boolean
  volumes?: { name: string; [k: string]: unknown }[]
  containers?: Container[]
  initContainers?: Container[]
}

/** The projected volume upstream adds for API access. */
export function apiAccessVolume(name: string): { name: string; projected: object } {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  }
}

export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  resources: ['pods'],
  async admitCreate(obj, reader) {
    const spec = (obj.spec ??= {}) as PodSpec
    // Mirror pods (static pods) are left alone upstream; petset has none.
    const name = spec.serviceAccountName || spec.serviceAccount || 'default'
    spec.serviceAccountName = name
    spec.serviceAccount = name
    const ns = obj.metadata.namespace ?? 'default'
    const account = await reader.get('serviceaccounts', ns, name)
    // NOTE: upstream rejects a pod whose account is missing even when it is `default` and the
    // service-account controller is about to create it; petset admits it (a namespace's first pods
    // would otherwise race that controller), and still rejects other missing accounts.
    if (!account && name === 'default') {
      addApiAccess(spec)
      return
    }
    if (!account)
      throw forbidden(
        { group: '', resource: 'pods' },
        obj.metadata.name ?? obj.metadata.generateName ?? '',
        `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`,
      )
    if (shouldAutomount(spec, account)) addApiAccess(spec)
  },
}

/** Adds the kube-api-access volume and its read-only mount in every container. */
function addApiAccess(spec: PodSpec): void {
  if (spec.automountServiceAccountToken === false) return
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
  if (containers.some(c => c.volumeMounts?.some(m => m.mountPath === serviceAccountMountPath))) return
  let suffix = ''
  for (const b of randomBytes(5)) suffix += alphabet[b % alphabet.length]
  const volume = `kube-api-access-${suffix}`
  spec.volumes = [...(spec.volumes ?? []), apiAccessVolume(volume)]
  for (const c of containers)
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volume, readOnly: true, mountPath: serviceAccountMountPath }]
}

function shouldAutomount(spec: PodSpec, account: KObject): boolean {
  if (spec.automountServiceAccountToken !== undefined) return spec.automountServiceAccountToken
  const fromAccount = (account as { automountServiceAccountToken?: boolean }).automountServiceAccountToken
  return fromAccount !== false
}
