/**
 * Message table: authentication.k8s.io/v1 (k8s.io/api/authentication/v1/generated.proto): TokenRequest.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** authentication/v1 messages. */
export const authenticationV1Messages: MessageTable = {
  TokenRequest: {
    1: 'metadata ObjectMeta',
    2: 'spec TokenRequestSpec',
    3: 'status TokenRequestStatus',
  },
  TokenRequestSpec: {
    1: 'audiences []string',
    4: 'expirationSeconds int64!',
    3: 'boundObjectRef BoundObjectReference',
  },
  TokenRequestStatus: {
    1: 'token string!',
    2: 'expirationTimestamp Time',
  },
  BoundObjectReference: {
    1: 'kind string',
    2: 'apiVersion string',
    3: 'name string',
    4: 'uid string',
  },
}
