/**
 * Every resource the API server serves, in discovery order. Adding a resource is one folder
 * under registry/ and one line here.
 */
import { strategy as configmaps } from './configmaps/index.js'
import { strategy as controllerrevisions } from './controllerrevisions/index.js'
import { strategy as deployments } from './deployments/index.js'
import { strategy as endpoints } from './endpoints/index.js'
import { strategy as endpointslices } from './endpointslices/index.js'
import { strategy as events } from './events/index.js'
import { strategy as eventsK8sIo } from './events-k8s-io/index.js'
import { strategy as leases } from './leases/index.js'
import { strategy as namespaces } from './namespaces/index.js'
import { strategy as nodes } from './nodes/index.js'
import { strategy as persistentvolumeclaims } from './persistentvolumeclaims/index.js'
import { strategy as persistentvolumes } from './persistentvolumes/index.js'
import { strategy as pods } from './pods/index.js'
import { strategy as podtemplates } from './podtemplates/index.js'
import { strategy as replicasets } from './replicasets/index.js'
import type { ResourceStrategy } from './resource.js'
import { strategy as secrets } from './secrets/index.js'
import { strategy as serviceaccounts } from './serviceaccounts/index.js'
import { strategy as services } from './services/index.js'
import { strategy as statefulsets } from './statefulsets/index.js'
import { strategy as storageclasses } from './storageclasses/index.js'

/** Strategies of all served resources. */
export const allStrategies: ResourceStrategy[] = [
  configmaps,
  endpoints,
  events,
  namespaces,
  nodes,
  persistentvolumeclaims,
  persistentvolumes,
  pods,
  podtemplates,
  secrets,
  serviceaccounts,
  services,
  controllerrevisions,
  deployments,
  replicasets,
  statefulsets,
  leases,
  endpointslices,
  eventsK8sIo,
  storageclasses,
]
