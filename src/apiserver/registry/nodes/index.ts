/**
 * Node strategy (upstream pkg/registry/core/node): status may be set on create (the agent
 * registers with it), a status subresource, taint and podCIDR validation, the
 * `spec.unschedulable` field selector and the Status/Roles printer. Pure.
 */
import type { Node, Taint } from '../../../api/core.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabelName } from '../../../machinery/labels.js'
import { deepEqual } from '../../../machinery/objects.js'
import {
  canonicalizeQuantity,
  compareQuantities,
  isValidQuantity,
  quantityToMilli,
} from '../../../machinery/quantity.js'
import { isValidLabelValue } from '../../../machinery/validation/names.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { shown } from '../services/format.js'
import { parseCIDR } from '../services/network.js'

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']
const podCIDRMsg = 'node updates may not change podCIDR except from "" to valid'

/** Go's %#v of a core.Taint, as the duplicate-taint error prints it. */
const goTaint = (t: Taint) =>
  `core.Taint{Key:${JSON.stringify(t.key ?? '')}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect ?? '')}, TimeAdded:${t.timeAdded ? `time.Date(${t.timeAdded})` : '(*v1.Time)(nil)'}}`

/** validateNodeTaints. NOTE: upstream reports taints under "metadata.taints". */
export function validateTaints(taints: Taint[]): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  taints.forEach((t, i) => {
    const p = Path.root('metadata').child('taints').index(i)
    errs.push(...validateLabelName(t.key ?? '', p.child('key')))
    const bad = isValidLabelValue(t.value ?? '')
    if (bad.length) errs.push(invalidValue(p.child('value'), t.value ?? '', bad.join(';')))
    if (!t.effect) errs.push(required(p.child('effect')))
    else if (!taintEffects.includes(t.effect)) errs.push(notSupported(p.child('effect'), t.effect, taintEffects))
    const key = `${t.effect}\u0000${t.key}`
    if (seen.has(key)) {
      errs.push(shown('FieldValueDuplicate', p, goTaint(t), 'taints must be unique by key and effect pair'))
      return
    }
    seen.add(key)
  })
  return errs
}

function validateResources(node: Node): FieldError[] {
  const errs: FieldError[] = []
  for (const field of ['capacity', 'allocatable'] as const)
    for (const [k, q] of Object.entries(node.status?.[field] ?? {})) {
      if (!isValidQuantity(q)) continue
      const p = Path.root('status').child(field, k)
      if (compareQuantities(q, '0') < 0)
        errs.push(invalidValue(p, canonicalizeQuantity(q), 'must be greater than or equal to 0'))
      // Whole numbers in any notation ("2k" is 2000), as upstream's MilliValue() % 1000 check.
      else if (k === 'pods' && quantityToMilli(q) % 1000 !== 0)
        errs.push(invalidValue(p, canonicalizeQuantity(q), 'must be an integer'))
    }
  return errs
}

/** ValidateNode without ObjectMeta. */
export function validateNode(node: Node): FieldError[] {
  const errs = validateTaints(node.spec?.taints ?? [])
  errs.push(...validateResources(node))
  const cidrs = node.spec?.podCIDRs ?? []
  const p = Path.root('spec').child('podCIDRs')
  cidrs.forEach((c, i) => {
    try {
      parseCIDR(c)
    } catch {
      // NOTE: IPv4 only here; upstream also accepts IPv6 CIDRs.
      errs.push(invalidValue(p.index(i), c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'))
    }
  })
  if (cidrs.length > 1) {
    const v6 = cidrs.map(c => c.includes(':'))
    if (cidrs.length > 2 || v6[0] === v6[1])
      errs.push(
        shown(
          'FieldValueInvalid',
          p,
          `[]string{${cidrs.map(c => JSON.stringify(c)).join(', ')}}`,
          'may specify no more than one CIDR for each IP family',
        ),
      )
  }
  return errs
}

/** The update-only rules of ValidateNodeUpdate: unique addresses; podCIDRs and providerID set once. */
function updateOnly(node: Node, old: Node): FieldError[] {
  const errs: FieldError[] = []
  const seen: unknown[] = []
  ;(node.status?.addresses ?? []).forEach((a, i) => {
    if (seen.some(s => deepEqual(s, a)))
      errs.push(
        shown(
          'FieldValueDuplicate',
          Path.root('status').child('addresses').index(i),
          `core.NodeAddress{Type:${JSON.stringify(a.type)}, Address:${JSON.stringify(a.address)}}`,
        ),
      )
    seen.push(a)
  })
  const prev = old.spec?.podCIDRs ?? []
  const next = node.spec?.podCIDRs ?? []
  if (prev.length > 0) {
    if (prev.length !== next.length) errs.push(forbiddenField(Path.root('spec').child('podCIDRs'), podCIDRMsg))
    else
      for (const [i, c] of prev.entries())
        if (c !== next[i]) errs.push(forbiddenField(Path.root('spec').child('podCIDRs'), podCIDRMsg))
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID)
    errs.push(
      forbiddenField(
        Path.root('spec').child('providerID'),
        'node updates may not change providerID except from "" to valid',
      ),
    )
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? ''))
    errs.push(forbiddenField(Path.root('spec').child('externalID'), 'may not be updated'))
  return errs
}

/** The Status cell: Ready / NotReady / Unknown from the Ready condition, plus SchedulingDisabled. */
export function nodeStatusCell(node: Node): string {
  const ready = node.status?.conditions?.find(c => c.type === 'Ready')
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown']
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled')
  return parts.join(',')
}

/** The Roles cell: node-role.kubernetes.io/<role> keys and the kubernetes.io/role value. */
export function nodeRolesCell(node: Node): string {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length)
      if (role) roles.add(role)
    } else if (k === 'kubernetes.io/role' && v) roles.add(v)
  }
  return [...roles].sort().join(',') || '<none>'
}

const addressOf = (node: Node, type: string) => node.status?.addresses?.find(a => a.type === type)?.address ?? '<none>'
const addressesDoc =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP)."

/** The Node strategy. */
export const strategy: ResourceStrategy<Node> = {
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  statusSubresource: true,
  defaults(node) {
    const spec = (node.spec ??= {})
    if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR]
    else if (spec.podCIDRs?.length && !spec.podCIDR) spec.podCIDR = spec.podCIDRs[0]
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity }
  },
  prepareForUpdate(node, old) {
    node.status = structuredClone(old.status)
  },
  validate: validateNode,
  // Upstream runs ValidateNode and ValidateNodeUpdate on updates; duplicates collapse into one.
  validateUpdate: (node, old) => [...validateNode(node), ...updateOnly(node, old)],
  validateStatusUpdate: (node, old) => [
    ...validateTaints(node.spec?.taints ?? []),
    ...validateResources(node),
    ...updateOnly(node, old),
  ],
  fieldLabels: node => ({ 'spec.unschedulable': String(!!node.spec?.unschedulable) }),
  printer: {
    columns: [
      nameColumn(),
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      ageColumn(),
      column('Version', 'Kubelet Version reported by the node.'),
      column('Internal-IP', addressesDoc, 1),
      column('External-IP', addressesDoc, 1),
      column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      column(
        'Container-Runtime',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        1,
      ),
    ],
    cells: (node, now) => {
      const info = node.status?.nodeInfo ?? {}
      return [
        node.metadata.name ?? '',
        nodeStatusCell(node),
        nodeRolesCell(node),
        ageCell(node, now),
        info.kubeletVersion ?? '',
        addressOf(node, 'InternalIP'),
        addressOf(node, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ]
    },
  },
}
