/**
 * ServiceAccount strategy (upstream pkg/registry/core/serviceaccount): metadata-only
 * validation and the Name·Secrets·Age printer. Token secrets are the controllers' business.
 * Pure.
 */
import type { ServiceAccount } from '../../../api/core.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'

const secretsDoc =
  'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret'

/** The ServiceAccount strategy. */
export const strategy: ResourceStrategy<ServiceAccount> = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  printer: {
    columns: [nameColumn(), column('Secrets', secretsDoc), ageColumn()],
    cells: (sa, now) => [sa.metadata.name ?? '', (sa.secrets ?? []).length, ageCell(sa, now)],
  },
}
