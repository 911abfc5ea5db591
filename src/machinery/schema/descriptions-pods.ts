/**
 * petset's own descriptions of Pod, PodSpec, Container and the types around them, as
 * `kubectl explain` prints them. A prose table, longer than the usual file size on purpose. Pure data.
 */
import type { DocsTable } from './docs-table.js'

const conditionFields = {
  type: 'Which condition this is.',
  status: 'True, False or Unknown.',
  reason: 'One-word, CamelCase reason for the last change.',
  message: 'Human-readable detail about the last change.',
  lastProbeTime: 'When the condition was last checked.',
  lastTransitionTime: 'When status last changed.',
}

/** Descriptions of pod-related core/v1 types, keyed by `<group>.<version>.<Type>`. */
export const podDocs: DocsTable = {
  'core.v1.Pod': {
    about:
      'One or more containers scheduled together on a node, sharing a network namespace and volumes. ' +
      'Usually created by a controller such as a StatefulSet rather than by hand.',
    fields: {
      spec: 'What the pod should run and how.',
      status: 'What the node agent last reported about the pod. May lag behind reality.',
    },
  },
  'core.v1.PodTemplateSpec': {
    about: 'A pod blueprint used by controllers: metadata and spec for the pods they create.',
    fields: {
      metadata: 'Labels and annotations given to every pod made from this template.',
      spec: 'The spec given to every pod made from this template.',
    },
  },
  'core.v1.PodTemplate': {
    about: 'A stored pod template that other objects may refer to.',
    fields: { template: 'The pod template itself.' },
  },
  'core.v1.PodSpec': {
    about: 'The desired content and behaviour of a pod.',
    fields: {
      containers: 'The containers of the pod, at least one. Names must be unique within the pod.',
      initContainers:
        'Containers run one after another, each to completion, before the regular containers start. ' +
        'An init container with restartPolicy Always keeps running as a sidecar.',
      ephemeralContainers:
        'Temporary containers added to a running pod for debugging, through the ephemeralcontainers subresource.',
      volumes: 'Volumes the containers of this pod may mount, each with a unique name.',
      restartPolicy:
        'When the node restarts containers that exit: Always (the default), OnFailure, or Never. ' +
        'Pods of a StatefulSet, Deployment or ReplicaSet must use Always.',
      terminationGracePeriodSeconds:
        'Seconds between the stop signal and a forced kill when the pod is deleted. Defaults to 30; 0 kills at once.',
      activeDeadlineSeconds: 'Seconds the pod may run, counted from its start, before it is failed.',
      dnsPolicy:
        'How the pod resolves names: ClusterFirst (the default) uses the cluster DNS, Default uses the node resolver, ' +
        'ClusterFirstWithHostNet is ClusterFirst for host-network pods, None relies on dnsConfig only.',
      dnsConfig: 'Extra resolver settings merged into what dnsPolicy produces.',
      nodeSelector: 'Labels a node must carry for the pod to be scheduled there.',
      nodeName: 'The node the pod runs on. Set by the scheduler; setting it yourself skips scheduling.',
      serviceAccountName: 'Service account whose identity and token the pod uses. Defaults to "default".',
      serviceAccount: 'Older spelling of serviceAccountName.',
      automountServiceAccountToken: 'Whether the service account token is mounted into the containers.',
      hostNetwork: "Use the node's network namespace instead of a pod network namespace.",
      hostPID: "Use the node's process namespace.",
      hostIPC: "Use the node's IPC namespace.",
      shareProcessNamespace: 'Let the containers of the pod see and signal each other’s processes.',
      securityContext: 'Security settings applied to every container of the pod unless a container overrides them.',
      imagePullSecrets: 'Secrets holding registry credentials used to pull the images of this pod.',
      hostname:
        'Host name of the pod. Defaults to the pod name; a StatefulSet sets it to the pod name so that it stays stable.',
      subdomain:
        'With a headless Service of this name in the namespace, the pod is reachable as <hostname>.<subdomain>.<namespace>.svc.',
      setHostnameAsFQDN: 'Make the hostname seen inside the containers the fully qualified name.',
      affinity: 'Rules that attract the pod to, or keep it away from, certain nodes and other pods.',
      schedulerName: 'Scheduler that places this pod. Defaults to the cluster scheduler.',
      tolerations: 'Node taints this pod accepts.',
      hostAliases: 'Extra entries written into the hosts file of the pod.',
      priorityClassName: 'Name of a PriorityClass that sets the scheduling priority of the pod.',
      priority: 'Scheduling priority, filled in from priorityClassName.',
      readinessGates: 'Extra conditions that must be true before the pod counts as Ready.',
      runtimeClassName: 'RuntimeClass used to run the pod.',
      enableServiceLinks: 'Whether Service addresses are injected as environment variables. Defaults to true.',
      topologySpreadConstraints: 'How pods matching a selector should be spread over zones, nodes or other domains.',
      overhead: 'Resources the pod sandbox itself uses, on top of its containers.',
      os: 'The operating system the containers need.',
      resources: 'Resources for the pod as a whole, shared by its containers.',
    },
    enums: {
      restartPolicy: ['Always', 'Never', 'OnFailure'],
      dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    },
  },
  'core.v1.PodStatus': {
    about: 'The observed state of a pod, reported by the node agent.',
    fields: {
      phase:
        'Coarse stage of the pod: Pending (accepted, not all containers started), Running, Succeeded, ' +
        'Failed, or Unknown (the node stopped reporting).',
      conditions: 'Detailed observations: PodScheduled, Initialized, ContainersReady, Ready and others.',
      message: 'Human-readable note on why the pod is in its current state.',
      reason: 'One-word reason for the current state, such as Evicted.',
      hostIP: 'Primary IP address of the node running the pod.',
      hostIPs: 'All IP addresses of the node running the pod.',
      podIP: 'Primary IP address of the pod.',
      podIPs: 'All IP addresses of the pod, at most one per address family.',
      startTime: 'When the node agent accepted the pod.',
      containerStatuses: 'One entry per regular container.',
      initContainerStatuses: 'One entry per init container.',
      ephemeralContainerStatuses: 'One entry per ephemeral container.',
      qosClass: 'Quality-of-service class derived from the resource settings: Guaranteed, Burstable or BestEffort.',
      nominatedNodeName: 'Node the scheduler intends to place the pod on once preemption finishes.',
      observedGeneration: 'The pod generation this status describes.',
    },
    enums: { phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] },
  },
  'core.v1.PodCondition': { about: 'One observation about a pod.', fields: conditionFields },
  'core.v1.Container': {
    about: 'One container of a pod: an image, how to start it, and what it needs.',
    fields: {
      name: 'Name of the container, unique within the pod. Used by kubectl exec -c, logs -c and set image.',
      image: 'Container image reference, such as nginx:1.27 or registry.example/app@sha256:....',
      imagePullPolicy:
        'When to pull the image: Always, IfNotPresent, or Never. Defaults to Always for the latest tag and IfNotPresent otherwise.',
      command: 'Replaces the ENTRYPOINT of the image. $(VAR) references are expanded from the container environment.',
      args: 'Replaces the CMD of the image. $(VAR) references are expanded from the container environment.',
      workingDir: 'Working directory of the process; defaults to the one set in the image.',
      ports: 'Ports the container listens on. Informational, but named ports can be targeted by Services and probes.',
      env: 'Environment variables to set, each with a literal value or a reference to another source.',
      envFrom: 'Sources whose every key becomes an environment variable. Explicit env entries take precedence.',
      resources: 'CPU, memory and other resources this container requests and may not exceed.',
      volumeMounts: 'Where volumes of the pod appear in the container filesystem.',
      volumeDevices: 'Raw block volumes exposed as device files.',
      livenessProbe: 'Check that restarts the container when it keeps failing.',
      readinessProbe: 'Check that removes the pod from Service endpoints while it fails.',
      startupProbe: 'Check that must succeed once before liveness and readiness probes begin.',
      lifecycle: 'Actions run right after the container starts and right before it stops.',
      terminationMessagePath: 'File whose content becomes the termination message. Defaults to /dev/termination-log.',
      terminationMessagePolicy:
        'File (the default) reads the message from terminationMessagePath only; FallbackToLogsOnError uses the log tail when the file is empty and the container failed.',
      securityContext: 'Security settings of this container; they override the pod-level ones.',
      stdin: 'Keep a stdin buffer open for the container, for kubectl attach.',
      stdinOnce: 'Close stdin after the first attached client disconnects.',
      tty: 'Allocate a terminal for the container; needs stdin.',
      restartPolicy: 'Only for init containers: Always turns the init container into a sidecar that keeps running.',
      resizePolicy: 'Whether changing each resource needs a container restart.',
    },
    enums: {
      imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
      terminationMessagePolicy: ['FallbackToLogsOnError', 'File'],
    },
  },
  'core.v1.ContainerPort': {
    about: 'A network port a container listens on.',
    fields: {
      containerPort: 'Port number inside the pod, 1 to 65535.',
      name: 'Optional IANA-style name (at most 15 characters) that Services and probes can refer to.',
      protocol: 'TCP (the default), UDP or SCTP.',
      hostPort: 'Port opened on the node and forwarded to containerPort. Rarely needed.',
      hostIP: 'Node address the host port is bound to.',
    },
    enums: { protocol: ['SCTP', 'TCP', 'UDP'] },
  },
  'core.v1.EnvVar': {
    about: 'One environment variable of a container.',
    fields: {
      name: 'Variable name.',
      value: 'Literal value. $(VAR) references to variables defined earlier are expanded.',
      valueFrom: 'Take the value from a ConfigMap, Secret, pod field or resource instead. Not allowed with value.',
    },
  },
  'core.v1.EnvVarSource': {
    about: 'Where an environment variable takes its value from. Set exactly one field.',
    fields: {
      configMapKeyRef: 'A key of a ConfigMap in the pod namespace.',
      secretKeyRef: 'A key of a Secret in the pod namespace.',
      fieldRef: 'A field of the pod, such as metadata.name or status.podIP.',
      resourceFieldRef: 'A resource limit or request of a container, such as limits.memory.',
    },
  },
  'core.v1.ConfigMapKeySelector': {
    about: 'Selects one key of a ConfigMap.',
    fields: {
      name: 'Name of the ConfigMap.',
      key: 'Key to read.',
      optional: 'Allow the ConfigMap or key to be missing.',
    },
  },
  'core.v1.SecretKeySelector': {
    about: 'Selects one key of a Secret.',
    fields: {
      name: 'Name of the Secret.',
      key: 'Key to read.',
      optional: 'Allow the Secret or key to be missing.',
    },
  },
  'core.v1.ObjectFieldSelector': {
    about: 'Selects a field of the pod.',
    fields: {
      fieldPath: 'Path of the field, such as metadata.name, metadata.namespace, spec.nodeName or status.podIP.',
      apiVersion: 'Version the path is written against. Defaults to v1.',
    },
  },
  'core.v1.EnvFromSource': {
    about: 'A ConfigMap or Secret whose keys all become environment variables.',
    fields: {
      prefix: 'Text put in front of every variable name.',
      configMapRef: 'The ConfigMap to read.',
      secretRef: 'The Secret to read.',
    },
  },
  'core.v1.VolumeMount': {
    about: 'Mounts a volume of the pod into a container.',
    fields: {
      name: 'Name of the pod volume to mount (for a StatefulSet, possibly a volumeClaimTemplates name).',
      mountPath: 'Path inside the container where the volume appears. Must not contain ":".',
      subPath: 'Mount only this sub-directory of the volume. Defaults to the volume root.',
      subPathExpr: 'Like subPath, with $(VAR) references expanded from the container environment.',
      readOnly: 'Mount read-only. Defaults to false.',
      mountPropagation: 'Whether mounts propagate between host and container.',
      recursiveReadOnly: 'Whether a read-only mount is also read-only for its sub-mounts.',
    },
  },
  'core.v1.ResourceRequirements': {
    about: 'Compute resources a container (or pod) needs.',
    fields: {
      requests:
        'The amount the scheduler reserves, such as cpu: 250m or memory: 64Mi. Defaults to the limits when only those are set.',
      limits: 'The most the container may use; exceeding the memory limit kills it.',
      claims: 'Names of resource claims of the pod that this container uses.',
    },
  },
  'core.v1.Probe': {
    about: 'A periodic health check of a container. Set exactly one handler: exec, httpGet, tcpSocket or grpc.',
    fields: {
      exec: 'Run a command in the container; exit code 0 is success.',
      httpGet: 'Send an HTTP GET; a status from 200 to 399 is success.',
      tcpSocket: 'Open a TCP connection; connecting is success.',
      grpc: 'Call the gRPC health service.',
      initialDelaySeconds: 'Seconds after the container starts before the first check.',
      periodSeconds: 'Seconds between checks. Defaults to 10.',
      timeoutSeconds: 'Seconds before a check counts as failed. Defaults to 1.',
      successThreshold: 'Consecutive successes needed after a failure. Defaults to 1.',
      failureThreshold: 'Consecutive failures before the probe gives up. Defaults to 3.',
      terminationGracePeriodSeconds: 'Grace period used when a failing probe kills the container.',
    },
  },
  'core.v1.HTTPGetAction': {
    about: 'An HTTP GET request used by a probe or hook.',
    fields: {
      path: 'Request path.',
      port: 'Port number or container port name.',
      host: 'Host to connect to. Defaults to the pod IP.',
      scheme: 'HTTP (the default) or HTTPS.',
      httpHeaders: 'Extra request headers.',
    },
  },
  'core.v1.TCPSocketAction': {
    about: 'A TCP connection attempt used by a probe or hook.',
    fields: { port: 'Port number or container port name.', host: 'Host to connect to. Defaults to the pod IP.' },
  },
  'core.v1.ExecAction': {
    about: 'A command run inside the container.',
    fields: { command: 'The command and its arguments. Not run in a shell unless you call one.' },
  },
  'core.v1.Lifecycle': {
    about: 'Hooks run around the life of a container.',
    fields: {
      postStart: 'Runs right after the container is created; the container is restarted if it fails.',
      preStop: 'Runs before the container is stopped; the grace period keeps counting meanwhile.',
    },
  },
  'core.v1.ContainerStatus': {
    about: 'The observed state of one container.',
    fields: {
      name: 'Name of the container.',
      state: 'What the container is doing now.',
      lastState: 'How the previous run of the container ended, if it was restarted.',
      ready: 'Whether the container passes its readiness probe.',
      started: 'Whether the container passed its startup probe (or has none and is running).',
      restartCount: 'How many times the container has been restarted.',
      image: 'Image the container runs.',
      imageID: 'Resolved identifier of that image.',
      containerID: 'Runtime identifier of the container, as <runtime>://<id>.',
    },
  },
  'core.v1.ContainerState': {
    about: 'State of a container; exactly one field is set.',
    fields: {
      waiting: 'The container has not started yet, or is waiting to restart.',
      running: 'The container is running.',
      terminated: 'The container has exited.',
    },
  },
  'core.v1.ContainerStateWaiting': {
    about: 'A container that is not running yet.',
    fields: {
      reason: 'Why it waits, such as ContainerCreating or CrashLoopBackOff.',
      message: 'More detail on the wait.',
    },
  },
  'core.v1.ContainerStateRunning': {
    about: 'A running container.',
    fields: { startedAt: 'When the container last started.' },
  },
  'core.v1.ContainerStateTerminated': {
    about: 'A container that has exited.',
    fields: {
      exitCode: 'Exit code of the process.',
      signal: 'Signal that ended the process, if any.',
      reason: 'Short reason, such as Completed, Error or OOMKilled.',
      message: 'More detail on the exit.',
      startedAt: 'When the run started.',
      finishedAt: 'When the run ended.',
      containerID: 'Runtime identifier of the container.',
    },
  },
  'core.v1.Toleration': {
    about: 'Lets a pod be scheduled onto (or stay on) nodes with a matching taint.',
    fields: {
      key: 'Taint key to match; empty matches every key (with operator Exists).',
      operator: 'Equal (the default) compares the value; Exists matches any value.',
      value: 'Taint value to match with operator Equal.',
      effect: 'Taint effect to match; empty matches all effects.',
      tolerationSeconds: 'For NoExecute taints: how long the pod may stay after the taint appears.',
    },
  },
  'core.v1.LocalObjectReference': {
    about: 'Names an object in the same namespace.',
    fields: { name: 'Name of the object.' },
  },
  'core.v1.Affinity': {
    about: 'Scheduling preferences and requirements relative to nodes and other pods.',
    fields: {
      nodeAffinity: 'Rules about the labels of the node.',
      podAffinity: 'Rules that place the pod near pods matching a selector.',
      podAntiAffinity: 'Rules that keep the pod away from pods matching a selector.',
    },
  },
  'core.v1.SecurityContext': {
    about: 'Security settings of one container.',
    fields: {
      runAsUser: 'User ID the process runs as.',
      runAsGroup: 'Group ID the process runs as.',
      runAsNonRoot: 'Refuse to start the container if it would run as user 0.',
      privileged: 'Run with almost all host privileges. Defaults to false.',
      readOnlyRootFilesystem: 'Mount the container root filesystem read-only.',
      allowPrivilegeEscalation: 'Whether the process may gain more privileges than its parent.',
      capabilities: 'Linux capabilities to add or drop.',
    },
  },
  'core.v1.PodSecurityContext': {
    about: 'Security settings shared by all containers of a pod.',
    fields: {
      runAsUser: 'Default user ID of the container processes.',
      runAsGroup: 'Default group ID of the container processes.',
      runAsNonRoot: 'Refuse to start containers that would run as user 0.',
      fsGroup: 'Group that owns supported volumes and is added to every container process.',
      supplementalGroups: 'Extra group IDs given to the container processes.',
    },
  },
}
