/** Every message table, in one list for compileSchema. Adding a group means adding its file here. */
import type { MessageTable } from '../schema.js'
import { appsV1Messages } from './apps.js'
import { authenticationV1Messages } from './authentication.js'
import { autoscalingMessages } from './autoscaling.js'
import { batchV1Messages } from './batch.js'
import { coreV1Messages } from './core.js'
import { corePodMessages } from './core-pod.js'
import { metaV1Messages } from './meta.js'
import { networkingV1Messages } from './networking.js'
import { policyV1Messages } from './policy.js'
import { rbacV1Messages } from './rbac.js'

/** All tables; message names must be unique across them (compileSchema checks). */
export const allMessageTables: readonly MessageTable[] = [
  metaV1Messages,
  coreV1Messages,
  corePodMessages,
  appsV1Messages,
  batchV1Messages,
  rbacV1Messages,
  policyV1Messages,
  autoscalingMessages,
  networkingV1Messages,
  authenticationV1Messages,
]
