/**
 * coordination.k8s.io/v1 Lease (node heartbeats, leader election). JSON field names as the
 * wire carries them; acquireTime and renewTime are MicroTime strings.
 * Types and constants only: no I/O, no logic.
 */
import type { KObject } from './meta.js'

export interface LeaseSpec {
  holderIdentity?: string
  leaseDurationSeconds?: number
  acquireTime?: string
  renewTime?: string
  leaseTransitions?: number
  strategy?: string
  preferredHolder?: string
}

export interface Lease extends KObject {
  spec?: LeaseSpec
}

/** Namespace holding one Lease per node, renewed by the node agent as its heartbeat. */
export const NamespaceNodeLease = 'kube-node-lease'
