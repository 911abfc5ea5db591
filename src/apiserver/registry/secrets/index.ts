/**
 * Secret strategy (upstream pkg/registry/core/secret): type defaults to Opaque, stringData is
 * merged into data (base64) and dropped, data must be valid base64, the `type` field selector
 * and the Name·Type·Data·Age printer. Pure.
 */
import { type Secret, SecretTypeOpaque } from '../../../api/core.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { checkBase64Map } from './base64.js'
import { validateSecret, validateSecretUpdate } from './validation.js'

const typeDoc =
  'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'
const dataDoc =
  "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"

/**
 * Decoding-time normalization (v1 → internal): data must be base64 (a 400 otherwise), then
 * stringData overwrites data keys and is dropped, then type defaults to Opaque.
 */
export function normalizeSecret(secret: Secret): void {
  const bad = checkBase64Map('Secret', secret.data)
  if (bad) throw bad
  if (secret.stringData && Object.keys(secret.stringData).length > 0) {
    secret.data ??= {}
    for (const [k, v] of Object.entries(secret.stringData))
      secret.data[k] = Buffer.from(String(v), 'utf8').toString('base64')
  }
  delete secret.stringData
  secret.type ||= SecretTypeOpaque
}

/** The Secret strategy. */
export const strategy: ResourceStrategy<Secret> = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  defaults: normalizeSecret,
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  fieldLabels: s => ({ type: s.type ?? '' }),
  printer: {
    columns: [nameColumn(), column('Type', typeDoc), column('Data', dataDoc), ageColumn()],
    cells: (s, now) => [s.metadata.name ?? '', s.type ?? '', Object.keys(s.data ?? {}).length, ageCell(s, now)],
  },
}
