/**
 * The garbage collector's dependency graph (upstream's GraphBuilder.uidToNode): every observed
 * object by uid, plus an owner uid → dependent uids index that also covers owners never observed.
 * In-memory bookkeeping only: no I/O; fed by informer events in collector.ts.
 */
import type { KObject, OwnerReference } from '../../api/meta.js'
import type { ResourceRef } from '../../client/resources.js'
import { isDeletingDependents, isOrphaning } from './plan.js'

/** How to reach an object again: its resource, namespace, name and uid. */
export interface Identity {
  ref: ResourceRef
  namespace?: string
  name: string
  uid: string
}

/** What the graph remembers about one object. */
export interface GraphNode {
  identity: Identity
  ownerReferences: readonly OwnerReference[]
  beingDeleted: boolean
  /** deletionTimestamp + foregroundDeletion finalizer. */
  deletingDependents: boolean
  /** deletionTimestamp + orphan finalizer. */
  orphaning: boolean
}

/** Objects by uid and who depends on whom. */
export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>()
  private readonly dependents = new Map<string, Set<string>>()

  /** Records obj (served by ref); returns the new node and the one it replaced. */
  upsert(ref: ResourceRef, obj: KObject): { node: GraphNode; previous?: GraphNode } {
    const meta = obj.metadata
    const node: GraphNode = {
      identity: { ref, namespace: meta.namespace || undefined, name: meta.name!, uid: meta.uid! },
      ownerReferences: meta.ownerReferences ?? [],
      beingDeleted: !!meta.deletionTimestamp,
      deletingDependents: isDeletingDependents(meta),
      orphaning: isOrphaning(meta),
    }
    const previous = this.nodes.get(node.identity.uid)
    if (previous) this.unlink(previous)
    this.nodes.set(node.identity.uid, node)
    for (const r of node.ownerReferences) {
      let set = this.dependents.get(r.uid)
      if (!set) this.dependents.set(r.uid, (set = new Set()))
      set.add(node.identity.uid)
    }
    return { node, previous }
  }

  /** Forgets uid; returns the node it had. Its dependents stay indexed under its uid. */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid)
    if (!node) return undefined
    this.unlink(node)
    this.nodes.delete(uid)
    return node
  }

  /** The node for uid, if observed. */
  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid)
  }

  /** Observed objects that list uid among their owners. */
  dependentsOf(uid: string): GraphNode[] {
    return [...(this.dependents.get(uid) ?? [])].map(d => this.nodes.get(d)!).filter(Boolean)
  }

  /** Whether anything observed lists uid as an owner. */
  hasDependents(uid: string): boolean {
    return (this.dependents.get(uid)?.size ?? 0) > 0
  }

  /** Number of observed objects. */
  get size(): number {
    return this.nodes.size
  }

  private unlink(node: GraphNode): void {
    for (const r of node.ownerReferences) {
      const set = this.dependents.get(r.uid)
      set?.delete(node.identity.uid)
      if (set && !set.size) this.dependents.delete(r.uid)
    }
  }
}
