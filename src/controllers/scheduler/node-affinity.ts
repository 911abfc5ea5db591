/**
 * Node selection rules (upstream component-helpers nodeaffinity): nodeSelector labels,
 * NodeSelectorTerms with matchExpressions (In, NotIn, Exists, DoesNotExist, Gt, Lt) and
 * matchFields (metadata.name), preferred terms' weights, and StorageClass allowedTopologies.
 * Terms are ORed, requirements within a term ANDed; an empty term matches nothing. Pure.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import type { TopologySelectorTerm } from '../../api/storage.js'

const asInt = (s: string | undefined): number | undefined =>
  s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined

/** One requirement against a label (or field) map. */
export function requirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, r.key)
  const v = values[r.key]
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(v!)
    case 'NotIn':
      return !has || !(r.values ?? []).includes(v!)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'Gt':
    case 'Lt': {
      const want = asInt(r.values?.[0])
      const got = asInt(v)
      if (!has || want === undefined || got === undefined || (r.values ?? []).length !== 1) return false
      return r.operator === 'Gt' ? got > want : got < want
    }
    default:
      return false
  }
}

/** One term: all its expressions and fields match; a term with neither matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (exprs.length === 0 && fields.length === 0) return false
  const labels = node.metadata.labels ?? {}
  const fieldValues = { 'metadata.name': node.metadata.name ?? '' }
  return exprs.every(r => requirementMatches(r, labels)) && fields.every(r => requirementMatches(r, fieldValues))
}

/** Any of the terms matches. */
export function termsMatch(terms: NodeSelectorTerm[], node: Node): boolean {
  return terms.some(t => termMatches(t, node))
}

/** The pod's nodeSelector and required node affinity both accept the node (NodeAffinity Filter). */
export function podFitsNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  return !required || termsMatch(required.nodeSelectorTerms ?? [], node)
}

/** Sum of the weights of the preferred node-affinity terms the node matches (NodeAffinity Score). */
export function preferredAffinityWeight(pod: Pod, node: Node): number {
  let sum = 0
  for (const p of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    if (termMatches(p.preference, node)) sum += p.weight
  return sum
}

/** StorageClass allowedTopologies: no terms allows every node; otherwise one term must match its labels. */
export function topologyAllows(terms: TopologySelectorTerm[] | undefined, node: Node): boolean {
  if (!terms?.length) return true
  const labels = node.metadata.labels ?? {}
  return terms.some(t => (t.matchLabelExpressions ?? []).every(e => e.values.includes(labels[e.key] ?? '\u0000')))
}
