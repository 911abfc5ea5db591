/**
 * PodControl: the only code in the ReplicaSet controller that writes pods (upstream
 * controller.RealPodControl). Creates pods from a template, deletes them and patches their owner
 * references, and records the SuccessfulCreate / FailedCreate / SuccessfulDelete / FailedDelete
 * events users see in `kubectl describe rs`.
 */
import type { ReplicaSet } from '../../api/apps.js'
import type { OwnerReference } from '../../api/meta.js'
import type { Pod, PodTemplateSpec } from '../../api/pod.js'
import type { EventRecorder } from '../../client/events.js'
import { PODS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isNotFound, reasonOf } from '../../machinery/status-error.js'
import { errorText } from './plan.js'

/** Writes pods on behalf of a ReplicaSet. */
export interface PodControl {
  /** Creates the pod; resolves the created pod, rejects with the API error. */
  createPod(rs: ReplicaSet, pod: Pod): Promise<Pod>
  /** Deletes the pod; rejects with the API error (NotFound too: the caller decides it is done). */
  deletePod(rs: ReplicaSet, pod: Pod): Promise<void>
  /** Applies a strategic-merge patch to the pod (adoption, release). */
  patchPod(pod: Pod, patch: object): Promise<void>
}

/** True when the API refused a create because the namespace is terminating. */
export function isNamespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { reason?: string }[] } } })?.status?.details?.causes
  return reasonOf(e) !== undefined && !!causes?.some(c => c.reason === 'NamespaceTerminating')
}

/** getPodsPrefix: "<name>-" unless that would not be a valid generateName. */
function podNamePrefix(name: string): string {
  return name.length + 1 > 253 ? name : `${name}-`
}

/**
 * GetPodFromTemplate: a pod with the template's labels, annotations, finalizers and spec, named
 * `<owner>-<random>` by the server, controlled by `controllerRef`. Throws when the template has no labels.
 */
export function podFromTemplate(template: PodTemplateSpec, ownerName: string, controllerRef: OwnerReference): Pod {
  const meta = template.metadata ?? {}
  if (!meta.labels || !Object.keys(meta.labels).length) throw new Error('unable to create pods, no labels')
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: podNamePrefix(ownerName), labels: { ...meta.labels }, ownerReferences: [controllerRef] },
    spec: structuredClone(template.spec),
  }
  if (meta.annotations && Object.keys(meta.annotations).length) pod.metadata.annotations = { ...meta.annotations }
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers]
  return pod
}

/** PodControl over the REST client, recording events with the controller's recorder. */
export class RestPodControl implements PodControl {
  constructor(
    private readonly client: RestClient,
    private readonly recorder: EventRecorder,
  ) {}

  async createPod(rs: ReplicaSet, pod: Pod): Promise<Pod> {
    try {
      const created = await this.client.create(PODS, pod, { namespace: rs.metadata.namespace })
      this.recorder.event(rs, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `Created pod: ${created.metadata.name}`,
      })
      return created
    } catch (e) {
      if (!isNamespaceTerminating(e)) {
        this.recorder.event(rs, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${errorText(e)}` })
      }
      throw e
    }
  }

  async deletePod(rs: ReplicaSet, pod: Pod): Promise<void> {
    const name = pod.metadata.name!
    try {
      await this.client.delete(PODS, name, { namespace: rs.metadata.namespace })
    } catch (e) {
      if (isNotFound(e)) throw e
      this.recorder.event(rs, { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${errorText(e)}` })
      throw new Error(`unable to delete pods: ${errorText(e)}`, { cause: e })
    }
    this.recorder.event(rs, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${name}` })
  }

  async patchPod(pod: Pod, patch: object): Promise<void> {
    await this.client.patch(PODS, pod.metadata.name!, {
      namespace: pod.metadata.namespace,
      type: 'strategic',
      body: patch,
    })
  }
}
