/**
 * petset's own descriptions of object metadata, selectors, Namespace, Node, Service and the other
 * cluster-level types. A prose table, longer than the usual file size on purpose. Pure data.
 */
import type { DocsTable } from './docs-table.js'

/** Descriptions of meta/v1 and cluster-level core/v1 types, keyed by `<group>.<version>.<Type>`. */
export const clusterDocs: DocsTable = {
  'meta.v1.ObjectMeta': {
    about: 'Metadata every stored object carries: identity, labels, annotations and ownership.',
    fields: {
      name: 'Name of the object, unique per kind within its namespace. Cannot be changed.',
      generateName: 'When name is empty, the server picks a unique name starting with this prefix.',
      namespace: 'Namespace of the object. Empty for cluster-scoped kinds; defaults to "default" otherwise.',
      uid: 'Unique identifier assigned by the server on creation. Never reused.',
      resourceVersion:
        'Opaque version of the object, changed on every write. Send it back on update to detect conflicting writes.',
      generation: 'Incremented by the server each time the desired state (spec) changes.',
      creationTimestamp: 'When the server created the object. Read-only.',
      deletionTimestamp:
        'When deletion was requested. The object stays until its finalizers are gone and its grace period is over.',
      deletionGracePeriodSeconds: 'Seconds the object gets to shut down after deletion was requested.',
      labels: 'Key-value pairs used to select and group objects, for example by Service and controller selectors.',
      annotations: 'Key-value pairs of free-form data for tools. Not used for selection.',
      ownerReferences:
        'Objects this one depends on. When every owner is gone, the garbage collector deletes this object.',
      finalizers: 'Names of tasks that must finish before the object is removed; each task removes its own entry.',
      managedFields: 'Which field manager set which fields, for server-side apply. Maintained by the server.',
      selfLink: 'Unused; always empty.',
    },
  },
  'meta.v1.OwnerReference': {
    about: 'Points at an object that owns this one, in the same namespace.',
    fields: {
      apiVersion: 'API version of the owner.',
      kind: 'Kind of the owner.',
      name: 'Name of the owner.',
      uid: 'UID of the owner.',
      controller: 'Whether the owner is the managing controller. At most one owner may set this.',
      blockOwnerDeletion: 'With foreground deletion, the owner is not removed before this object.',
    },
  },
  'meta.v1.ListMeta': {
    about: 'Metadata of a list response.',
    fields: {
      resourceVersion: 'Version of the data the list reflects; start a watch from here.',
      continue: 'Token to fetch the next page; empty on the last page.',
      remainingItemCount: 'Estimated number of items after this page.',
    },
  },
  'meta.v1.LabelSelector': {
    about:
      'A label query. An object matches when it satisfies every matchLabels pair and every matchExpressions entry; ' +
      'an empty selector matches everything.',
    fields: {
      matchLabels: 'Labels that must be present with exactly these values.',
      matchExpressions: 'Further requirements on label keys and values.',
    },
  },
  'meta.v1.LabelSelectorRequirement': {
    about: 'One requirement on a label.',
    fields: {
      key: 'Label key the requirement applies to.',
      operator: 'In, NotIn, Exists or DoesNotExist.',
      values: 'Values for In and NotIn; must be empty for Exists and DoesNotExist.',
    },
  },
  'meta.v1.Status': {
    about: 'The result of a request that returned no object, usually an error.',
    fields: {
      status: 'Success or Failure.',
      message: 'Human-readable description of the outcome.',
      reason: 'Machine-readable reason, such as NotFound or AlreadyExists.',
      code: 'HTTP status code of the response.',
      details: 'Which object the outcome concerns, and the individual causes.',
    },
  },
  'meta.v1.DeleteOptions': {
    about: 'Options of a delete request.',
    fields: {
      gracePeriodSeconds: 'Seconds the object gets to shut down; 0 deletes at once.',
      propagationPolicy: 'How dependents are handled: Orphan, Background (the default for most kinds) or Foreground.',
      preconditions: 'Delete only if the object still has this uid or resourceVersion.',
      orphanDependents: 'Older form of propagationPolicy: Orphan.',
      dryRun: 'With All, check the request without deleting anything.',
    },
  },
  'core.v1.Namespace': {
    about: 'A scope for names: most objects live in a namespace, and deleting it deletes everything inside.',
    fields: {
      spec: 'Finalizers of the namespace.',
      status: 'Whether the namespace is Active or Terminating.',
    },
  },
  'core.v1.NamespaceSpec': {
    about: 'The desired state of a namespace.',
    fields: { finalizers: 'Tasks that must finish before the namespace is removed.' },
  },
  'core.v1.NamespaceStatus': {
    about: 'Observed state of a namespace.',
    fields: {
      phase: 'Active, or Terminating while its content is being deleted.',
      conditions: 'Latest observations of the namespace.',
    },
    enums: { phase: ['Active', 'Terminating'] },
  },
  'core.v1.Node': {
    about: 'A machine that runs pods, registered and kept up to date by its node agent.',
    fields: {
      spec: 'How the node is configured for scheduling.',
      status: 'What the node agent last reported: conditions, addresses, capacity.',
    },
  },
  'core.v1.NodeSpec': {
    about: 'Scheduling settings of a node.',
    fields: {
      unschedulable: 'When true, no new pods are placed on the node (kubectl cordon).',
      taints: 'Taints that repel pods without a matching toleration.',
      podCIDR: 'Pod address range assigned to the node.',
      podCIDRs: 'Pod address ranges assigned to the node, at most one per address family.',
      providerID: 'Identifier of the machine at its infrastructure provider.',
    },
  },
  'core.v1.NodeStatus': {
    about: 'Observed state of a node.',
    fields: {
      conditions: 'Health observations, most importantly Ready. Unknown when the agent stops reporting.',
      addresses: 'Addresses of the node, such as InternalIP and Hostname.',
      capacity: 'Total resources of the node.',
      allocatable: 'Resources available to pods after system reservations.',
      nodeInfo: 'Versions and identifiers reported by the node.',
      images: 'Container images present on the node.',
      daemonEndpoints: 'Ports of the daemons on the node, such as the node agent.',
    },
  },
  'core.v1.NodeCondition': {
    about: 'One observation about a node.',
    fields: {
      type: 'Which condition this is, such as Ready or MemoryPressure.',
      status: 'True, False or Unknown.',
      reason: 'One-word, CamelCase reason for the last change.',
      message: 'Human-readable detail about the last change.',
      lastHeartbeatTime: 'When the node last reported this condition.',
      lastTransitionTime: 'When status last changed.',
    },
  },
  'core.v1.NodeAddress': {
    about: 'One address of a node.',
    fields: { type: 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', address: 'The address.' },
  },
  'core.v1.Taint': {
    about: 'A mark on a node that pods must tolerate to run there.',
    fields: {
      key: 'Taint key.',
      value: 'Taint value.',
      effect: 'NoSchedule, PreferNoSchedule, or NoExecute (also evicts running pods).',
      timeAdded: 'When a NoExecute taint was added.',
    },
    enums: { effect: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] },
  },
  'core.v1.Service': {
    about:
      'A stable name and address for a set of pods picked by labels. A headless Service (clusterIP None) has no ' +
      'virtual address; its DNS name resolves to the pod addresses, and it gives StatefulSet pods their own names.',
    fields: {
      spec: 'Which pods, which ports, and what kind of address.',
      status: 'Load balancer state and conditions.',
    },
  },
  'core.v1.ServiceSpec': {
    about: 'The desired behaviour of a Service.',
    fields: {
      selector: 'Labels of the pods that receive traffic. Without it, endpoints are managed by hand.',
      ports: 'Ports the Service exposes and where each one leads on the pods.',
      type:
        'ClusterIP (the default) gives a cluster-internal address; NodePort also opens a port on every node; ' +
        'LoadBalancer asks for an external balancer; ExternalName is a DNS alias.',
      clusterIP:
        'Virtual address of the Service, usually assigned by the server. None makes it headless: DNS returns the pod addresses.',
      clusterIPs: 'Virtual addresses of the Service, at most one per address family.',
      publishNotReadyAddresses:
        'Publish DNS records for pods that are not Ready as well. Useful for StatefulSet peers that must find each other while starting.',
      sessionAffinity: 'ClientIP sends each client to the same pod; None (the default) does not.',
      externalName: 'DNS name returned for a Service of type ExternalName.',
      externalIPs: 'Extra addresses on which the Service accepts traffic.',
      externalTrafficPolicy: 'Cluster or Local: whether external traffic may leave the node it arrives on.',
      internalTrafficPolicy: 'Cluster or Local: whether in-cluster traffic may leave the node it starts on.',
      ipFamilies: 'Address families of the Service: IPv4, IPv6 or both.',
      ipFamilyPolicy: 'SingleStack, PreferDualStack or RequireDualStack.',
      loadBalancerIP: 'Requested balancer address, where the provider supports it.',
      loadBalancerSourceRanges: 'Client ranges allowed through the balancer.',
    },
    enums: {
      type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
      sessionAffinity: ['ClientIP', 'None'],
    },
  },
  'core.v1.ServicePort': {
    about: 'One port of a Service.',
    fields: {
      name: 'Name of the port; required when the Service has more than one. Used in SRV records.',
      port: 'Port number the Service listens on.',
      targetPort: 'Port number or named container port on the pods. Defaults to port.',
      protocol: 'TCP (the default), UDP or SCTP.',
      nodePort: 'Port opened on every node for NodePort and LoadBalancer Services.',
      appProtocol: 'Application protocol of the port, as a hint for proxies.',
    },
    enums: { protocol: ['SCTP', 'TCP', 'UDP'] },
  },
  'core.v1.ServiceStatus': {
    about: 'Observed state of a Service.',
    fields: { loadBalancer: 'Addresses of the external balancer, if any.', conditions: 'Latest observations.' },
  },
  'core.v1.Endpoints': {
    about: 'The addresses behind a Service, kept up to date from the pods its selector picks.',
    fields: { subsets: 'Groups of addresses that share the same ports.' },
  },
  'core.v1.EndpointSubset': {
    about: 'Addresses that share a set of ports.',
    fields: {
      addresses: 'Addresses of Ready pods.',
      notReadyAddresses: 'Addresses of pods that are not Ready yet.',
      ports: 'Ports available on every address.',
    },
  },
  'core.v1.EndpointAddress': {
    about: 'One address behind a Service.',
    fields: {
      ip: 'The address.',
      hostname: 'Host name of the pod, used for its DNS record under a headless Service.',
      nodeName: 'Node running the pod.',
      targetRef: 'The pod behind the address.',
    },
  },
  'core.v1.ServiceAccount': {
    about: 'An identity for processes in pods, with a token they can use against the API server.',
    fields: {
      secrets: 'Secrets tied to this account.',
      imagePullSecrets: 'Registry credentials added to pods that use this account.',
      automountServiceAccountToken: 'Whether pods using this account get its token mounted by default.',
    },
  },
  'core.v1.Event': {
    about: 'A report of something that happened to an object, shown by kubectl describe. Kept for a limited time.',
    fields: {
      involvedObject: 'The object the event is about.',
      reason: 'Short, CamelCase reason, such as SuccessfulCreate.',
      message: 'Human-readable description.',
      type: 'Normal or Warning.',
      count: 'How many times this event has occurred.',
      firstTimestamp: 'When the event first occurred.',
      lastTimestamp: 'When the event last occurred.',
      source: 'Component that reported the event.',
    },
  },
  'coordination.v1.Lease': {
    about: 'A lock with a holder and an expiry, used for leader election and node heartbeats.',
    fields: { spec: 'Holder and timing of the lease.' },
  },
  'discovery.v1.EndpointSlice': {
    about: 'A slice of the addresses behind a Service.',
    fields: {
      addressType: 'IPv4, IPv6 or FQDN.',
      endpoints: 'The addresses of this slice.',
      ports: 'Ports available on every address of the slice.',
    },
  },
  'policy.v1.Eviction': {
    about: 'A request to remove a pod while respecting disruption budgets, posted to the eviction subresource.',
    fields: { deleteOptions: 'Options for the deletion of the pod.' },
  },
  'core.v1.Binding': {
    about: 'Assigns a pod to a node; posted by the scheduler to the binding subresource.',
    fields: { target: 'The node to bind to.' },
  },
}
