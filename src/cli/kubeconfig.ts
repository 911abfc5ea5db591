/**
 * Writes the admin kubeconfig (context `petset`) that kubectl and client libraries use.
 * The file holds a bearer token, so it is written with mode 0600.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { stringify } from 'yaml'

export interface KubeconfigInput {
  server: string
  token: string
  /** PEM of the CA; omitted for plain-HTTP servers. */
  ca?: string
  context?: string
}

/** The kubeconfig document as an object. */
export function buildKubeconfig(input: KubeconfigInput): object {
  const name = input.context ?? 'petset'
  const cluster: Record<string, string> = { server: input.server }
  if (input.ca) cluster['certificate-authority-data'] = Buffer.from(input.ca).toString('base64')
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name: `${name}-admin`, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  }
}

/** Writes the kubeconfig to path (0600) and returns the path. */
export function writeKubeconfig(path: string, input: KubeconfigInput): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, stringify(buildKubeconfig(input)), { mode: 0o600 })
  chmodSync(path, 0o600)
  return path
}
