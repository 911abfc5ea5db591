/**
 * discovery.k8s.io/v1 EndpointSlice. JSON field names as the wire carries them.
 * Types and constants only: no I/O, no logic.
 */
import type { ObjectReference } from './core.js'
import type { KObject } from './meta.js'

export type AddressType = 'IPv4' | 'IPv6' | 'FQDN'

export interface EndpointConditions {
  ready?: boolean
  serving?: boolean
  terminating?: boolean
}

export interface EndpointHints {
  forZones?: { name: string }[]
  forNodes?: { name: string }[]
}

export interface Endpoint {
  addresses: string[]
  conditions?: EndpointConditions
  hostname?: string
  targetRef?: ObjectReference
  deprecatedTopology?: Record<string, string>
  nodeName?: string
  zone?: string
  hints?: EndpointHints
}

export interface EndpointPort {
  name?: string
  protocol?: 'TCP' | 'UDP' | 'SCTP' | string
  port?: number
  appProtocol?: string
}

export interface EndpointSlice extends KObject {
  addressType: AddressType | string
  endpoints: Endpoint[]
  ports?: EndpointPort[]
}

/** Label naming the Service an EndpointSlice belongs to. */
export const LabelServiceName = 'kubernetes.io/service-name'
/** Label naming the controller that manages an EndpointSlice. */
export const LabelManagedBy = 'endpointslice.kubernetes.io/managed-by'
