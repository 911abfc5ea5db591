/**
 * Argument parsing for the petset command. Each sub-command declares its flags here so the
 * help text and the parser never drift apart. Pure: no I/O.
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export interface UpOptions {
  dataDir: string
  listen: { host: string; port: number }
  nodes: number
  runtime?: 'runc' | 'process' | 'simulated'
  insecureHttp: boolean
  store?: string
  logLevel: string
}

export const usage = `petset: a Kubernetes-compatible cluster for StatefulSets on one machine

Usage:
  petset up [--data-dir DIR] [--listen HOST:PORT] [--nodes N] [--runtime runc|process|simulated]
            [--store URL] [--insecure-http] [--log-level LEVEL]
      Runs the all-in-one cluster in the foreground and writes DIR/kubeconfig.
  petset image load FILE [--data-dir DIR]
      Loads an OCI image layout or docker save archive into DIR/images.
  petset image ls [--data-dir DIR]
      Lists loaded and built-in images.
  petset version
  petset help
`

/** Parses HOST:PORT (IPv6 in brackets). */
export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s)
  if (!m) throw new Error(`--listen: expected HOST:PORT, got "${s}"`)
  const port = Number(m[3])
  if (port > 65535) throw new Error(`--listen: port out of range: ${port}`)
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port }
}

/** Parses `petset up` flags. */
export function parseUpArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): UpOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string' },
      nodes: { type: 'string' },
      runtime: { type: 'string' },
      store: { type: 'string' },
      'insecure-http': { type: 'boolean' },
      'log-level': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  })
  const nodes = values.nodes === undefined ? 1 : Number(values.nodes)
  if (!Number.isInteger(nodes) || nodes < 0)
    throw new Error(`--nodes: expected a non-negative integer, got "${values.nodes}"`)
  const runtime = values.runtime
  if (runtime !== undefined && !['runc', 'process', 'simulated'].includes(runtime))
    throw new Error(`--runtime: expected runc, process or simulated, got "${runtime}"`)
  return {
    dataDir: resolve(values['data-dir'] ?? env.PETSET_DATA_DIR ?? join(homedir(), '.petset')),
    listen: parseHostPort(values.listen ?? '127.0.0.1:6443'),
    nodes,
    runtime: runtime as UpOptions['runtime'],
    insecureHttp: values['insecure-http'] ?? false,
    store: values.store,
    logLevel: values['log-level'] ?? env.PETSET_LOG_LEVEL ?? 'info',
  }
}
