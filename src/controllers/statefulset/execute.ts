/**
 * Carries out a Plan through StatefulPodControl, with upstream's ordering and events
 * (stateful_pod_control.go and runForAll/slowStartBatch in stateful_set_control.go): OrderedReady
 * runs slots one by one and stops at the first error; Parallel runs slots in concurrent batches of
 * 1, 2, 4, … up to 500 and starts no further batch after one fails. Decides nothing itself.
 */
import type { StatefulSet } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { isConflict } from '../../machinery/status-error.js'
import type { Action, ClaimWork, Plan } from './plan.js'
import type { StatefulPodControl } from './pod-control.js'

/** Upstream's MaxBatchSize: the most calls in flight at once in Parallel mode. */
export const MaxBatchSize = 500

/** What executing a plan did. */
export interface ExecuteResult {
  /** Errors of the phase that failed (empty when everything ran). */
  errors: unknown[]
  /** Successful rolling-update deletions (each lowers status.currentReplicas). */
  updateDeletions: number
  /** A pod create found its name taken (cache lag, or a foreign pod): look again later. */
  nameTaken: boolean
}

type Outcome = 'done' | 'nameTaken'

/** Runs the plan's phases in order; stops at the first phase with an error. */
export async function executePlan(set: StatefulSet, plan: Plan, control: StatefulPodControl): Promise<ExecuteResult> {
  const result: ExecuteResult = { errors: [], updateDeletions: 0, nameTaken: false }
  const runSlot = async (slot: Action[]) => {
    for (const action of slot) {
      if ((await runAction(set, action, control)) === 'nameTaken') {
        result.nameTaken = true
        return
      }
    }
  }
  for (const phase of [plan.replicas, plan.condemnedClaims, plan.condemned]) {
    result.errors = plan.monotonic ? await runInOrder(phase, runSlot) : await slowStartBatch(phase, runSlot)
    if (result.errors.length) return result
    // OrderedReady stops after a create whose name was taken, as after any create.
    if (plan.monotonic && result.nameTaken) return result
  }
  for (const action of plan.update) {
    try {
      await runAction(set, action, control)
      result.updateDeletions++
    } catch (e) {
      result.errors = [e]
      return result
    }
  }
  return result
}

async function runInOrder(slots: Action[][], run: (slot: Action[]) => Promise<void>): Promise<unknown[]> {
  for (const slot of slots) {
    try {
      await run(slot)
    } catch (e) {
      return [e]
    }
  }
  return []
}

/**
 * slowStartBatch: batches of 1, 2, 4, … (capped by what remains and by MaxBatchSize), each run
 * concurrently; after a batch with errors no further batch starts.
 */
export async function slowStartBatch<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<unknown[]> {
  let next = 0
  for (let size = Math.min(1, items.length); size > 0; size = Math.min(2 * size, items.length - next, MaxBatchSize)) {
    const batch = items.slice(next, next + size)
    next += size
    const settled = await Promise.allSettled(batch.map(run))
    const errors = settled.flatMap(s => (s.status === 'rejected' ? [s.reason] : []))
    if (errors.length) return errors
  }
  return []
}

/** One action with its events; throws on failure. */
async function runAction(set: StatefulSet, action: Action, control: StatefulPodControl): Promise<Outcome> {
  const events = new Events(set, control)
  switch (action.type) {
    case 'createPod': {
      // createStatefulPod: claims first, then the pod, then the references of existing claims.
      const { pod, claims } = action
      await events.guard('create', pod, () => createClaims(events, pod, claims, control))
      if (!(await events.guard('create', pod, () => control.createPod(pod)))) return 'nameTaken'
      await events.guard('update', pod, () => updateClaims(events, claims, control))
      events.pod('create', pod)
      return 'done'
    }
    case 'deletePod': {
      const { pod } = action
      if (await events.guard('delete', pod, () => control.deletePod(pod))) events.pod('delete', pod)
      return 'done'
    }
    case 'createClaims': {
      // createMissingPersistentVolumeClaims: a claim failure carries claim events only.
      await createClaims(events, action.pod, action.claims, control)
      await events.guard('update', action.pod, () => updateClaims(events, action.claims, control))
      return 'done'
    }
    case 'updatePod': {
      const { pod, claims } = action
      await events.guard('update', pod, () => createClaims(events, pod, claims, control))
      await events.guard('update', pod, () => updateClaims(events, claims, control))
      // NOTE: a retention-only repair changes claims, not the pod; upstream still reports the pod update.
      if (action.changed) await events.guard('update', pod, () => control.updatePod(pod))
      events.pod('update', pod)
      return 'done'
    }
    case 'updateClaims':
      await updateClaims(events, action.claims, control)
      return 'done'
  }
}

/** createPersistentVolumeClaims: creates missing claims; claims being deleted are errors too. */
async function createClaims(events: Events, pod: Pod, work: ClaimWork, control: StatefulPodControl): Promise<void> {
  const errors: string[] = []
  for (const claim of work.create) {
    try {
      // AlreadyExists (cache lag) counts as created and, as upstream, records nothing.
      if (await control.createClaim(claim)) events.claim('create', pod, claim)
    } catch (e) {
      errors.push(`failed to create PVC ${claim.metadata.name}: ${messageOf(e)}`)
      events.claim('create', pod, claim, e)
    }
  }
  for (const name of work.deleting) errors.push(`pvc ${name} is being deleted`)
  if (errors.length) throw new Error(aggregate(errors))
}

/** UpdatePodClaimForRetentionPolicy: warns about foreign controllers, then rewrites references. */
async function updateClaims(events: Events, work: ClaimWork, control: StatefulPodControl): Promise<void> {
  for (const name of work.conflicting) events.conflictingController(name)
  for (const claim of work.update) {
    try {
      await control.updateClaim(claim)
    } catch (e) {
      if (isConflict(e)) throw e
      throw new Error(`could not update claim ${claim.metadata.name} for delete policy ownerRefs: ${messageOf(e)}`, {
        cause: e,
      })
    }
  }
}

/** Upstream's recordPodEvent / recordClaimEvent wording. */
class Events {
  constructor(
    private readonly set: StatefulSet,
    private readonly control: StatefulPodControl,
  ) {}

  /** Runs fn; on failure records `Failed<Verb>` for the pod and rethrows. Conflicts stay quiet. */
  async guard<T>(verb: string, pod: Pod, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      if (!isConflict(e)) this.pod(verb, pod, e)
      throw e
    }
  }

  pod(verb: string, pod: Pod, err?: unknown): void {
    const name = pod.metadata.name
    const set = this.set.metadata.name
    this.control.recordEvent(
      this.set,
      err === undefined
        ? {
            type: 'Normal',
            reason: `Successful${title(verb)}`,
            message: `${verb} Pod ${name} in StatefulSet ${set} successful`,
          }
        : {
            type: 'Warning',
            reason: `Failed${title(verb)}`,
            message: `${verb} Pod ${name} in StatefulSet ${set} failed error: ${messageOf(err)}`,
          },
    )
  }

  claim(verb: string, pod: Pod, claim: PersistentVolumeClaim, err?: unknown): void {
    const [c, p, set] = [claim.metadata.name, pod.metadata.name, this.set.metadata.name]
    this.control.recordEvent(
      this.set,
      err === undefined
        ? {
            type: 'Normal',
            reason: `Successful${title(verb)}`,
            message: `${verb} Claim ${c} Pod ${p} in StatefulSet ${set} success`,
          }
        : {
            type: 'Warning',
            reason: `Failed${title(verb)}`,
            message: `${verb} Claim ${c} for Pod ${p} in StatefulSet ${set} failed error: ${messageOf(err)}`,
          },
    )
  }

  conflictingController(claim: string): void {
    // NOTE: "manging" is upstream's typo, kept because users may match on the text.
    const message = `PersistentVolumeClaim ${claim} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`
    this.control.recordEvent(this.set, { type: 'Warning', reason: 'ConflictingController', message })
  }
}

const title = (verb: string) => verb.charAt(0).toUpperCase() + verb.slice(1)

/** An error's message (what Go's %s of an error prints). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** utilerrors.NewAggregate's text: one message as is, several as `[a, b]`. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)]
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`
}
