/**
 * Discovery documents: aggregated (apidiscovery.k8s.io v2 and v2beta1) and the legacy
 * APIVersions / APIGroupList / APIResourceList forms, built once from the registry's strategies.
 */
import type { ResourceStrategy } from '../registry/resource.js'

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

/** Subresources a strategy exposes, with their response kinds and verbs. */
function subresourcesOf(
  s: ResourceStrategy,
): { name: string; group: string; version: string; kind: string; verbs: string[] }[] {
  const out: { name: string; group: string; version: string; kind: string; verbs: string[] }[] = []
  if (s.statusSubresource)
    out.push({ name: 'status', group: s.group, version: s.version, kind: s.kind, verbs: ['get', 'patch', 'update'] })
  if (s.scale)
    out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] })
  if (s.resource === 'pods') {
    out.push({ name: 'attach', group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] })
    out.push({ name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] })
    out.push({ name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] })
    out.push({ name: 'exec', group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] })
    out.push({ name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] })
    out.push({ name: 'portforward', group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] })
    out.push({
      name: 'proxy',
      group: '',
      version: 'v1',
      kind: 'PodProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    })
  }
  if (s.resource === 'services')
    out.push({
      name: 'proxy',
      group: '',
      version: 'v1',
      kind: 'ServiceProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    })
  if (s.resource === 'nodes')
    out.push({
      name: 'proxy',
      group: '',
      version: 'v1',
      kind: 'NodeProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    })
  if (s.resource === 'namespaces')
    out.push({ name: 'finalize', group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] })
  return out.sort((a, b) => (a.name < b.name ? -1 : 1))
}

interface GroupVersion {
  group: string
  version: string
  resources: ResourceStrategy[]
}

/** Groups strategies by group and version, core first, in a stable order. */
export function groupVersions(strategies: ResourceStrategy[]): GroupVersion[] {
  const map = new Map<string, GroupVersion>()
  for (const s of strategies) {
    const k = `${s.group}/${s.version}`
    let gv = map.get(k)
    if (!gv) map.set(k, (gv = { group: s.group, version: s.version, resources: [] }))
    gv.resources.push(s)
  }
  return [...map.values()]
}

/** The aggregated discovery list for /api (core) or /apis (named groups). */
export function aggregatedDiscovery(strategies: ResourceStrategy[], core: boolean, version: 'v2' | 'v2beta1'): object {
  const gvs = groupVersions(strategies).filter(gv => (gv.group === '') === core)
  const groups = new Map<string, GroupVersion[]>()
  for (const gv of gvs) groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv])
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...groups.entries()].map(([group, versions]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: versions.map(gv => ({
        version: gv.version,
        freshness: 'Current',
        resources: gv.resources.map(s => {
          const r: Record<string, unknown> = {
            resource: s.resource,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            scope: s.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: s.singular,
            verbs: s.verbs ?? allVerbs,
          }
          if (s.shortNames?.length) r.shortNames = s.shortNames
          if (s.categories?.length) r.categories = s.categories
          const subs = subresourcesOf(s)
          if (subs.length)
            r.subresources = subs.map(x => ({
              subresource: x.name,
              responseKind: { group: x.group, version: x.version, kind: x.kind },
              verbs: x.verbs,
            }))
          return r
        }),
      })),
    })),
  }
}

/** Legacy /api: the core versions. */
export const legacyApiVersions = (serverAddress: string) => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
})

/** Legacy /apis: every named group with its preferred version. */
export function legacyGroupList(strategies: ResourceStrategy[]): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups(strategies) }
}

/** Legacy /apis/<group>: one APIGroup. */
export function legacyGroup(strategies: ResourceStrategy[], group: string): object | undefined {
  const g = namedGroups(strategies).find(x => x.name === group)
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...g }
}

function namedGroups(strategies: ResourceStrategy[]) {
  const groups = new Map<string, string[]>()
  for (const gv of groupVersions(strategies)) {
    if (!gv.group) continue
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv.version])
  }
  return [...groups.entries()].map(([name, versions]) => ({
    name,
    versions: versions.map(v => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  }))
}

/** Legacy /api/v1 or /apis/<g>/<v>: the APIResourceList, subresources as "res/sub" entries. */
export function legacyResourceList(strategies: ResourceStrategy[], group: string, version: string): object | undefined {
  const gv = groupVersions(strategies).find(x => x.group === group && x.version === version)
  if (!gv) return undefined
  const resources: object[] = []
  for (const s of gv.resources) {
    const r: Record<string, unknown> = {
      name: s.resource,
      singularName: s.singular,
      namespaced: s.namespaced,
      kind: s.kind,
      verbs: s.verbs ?? allVerbs,
    }
    if (s.shortNames?.length) r.shortNames = s.shortNames
    if (s.categories?.length) r.categories = s.categories
    resources.push(r)
    for (const sub of subresourcesOf(s)) {
      const entry: Record<string, unknown> = {
        name: `${s.resource}/${sub.name}`,
        singularName: '',
        namespaced: s.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      }
      if (sub.group !== s.group || sub.version !== s.version) {
        entry.group = sub.group
        entry.version = sub.version
      }
      resources.push(entry)
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources }
}
