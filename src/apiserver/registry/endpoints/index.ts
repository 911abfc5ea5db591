/**
 * Endpoints strategy (upstream pkg/registry/core/endpoint): port protocol defaults to TCP,
 * subsets validated (ValidateEndpoints), PUT may create, and the Name·Endpoints·Age printer
 * (up to three ip:port entries then " + N more..."). Pure.
 */
import type { EndpointAddress, EndpointPort, Endpoints } from '../../../api/core.js'
import { type FieldError, invalidValue, notSupported, Path, required } from '../../../machinery/field-error.js'
import {
  isDNS1123Label,
  isQualifiedName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from '../../../machinery/validation/names.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { validateIP, validateNonSpecialIP } from '../services/format.js'

const protocols = ['SCTP', 'TCP', 'UDP']

function validateAddress(a: EndpointAddress, path: Path): FieldError[] {
  const errs = validateIP(path.child('ip'), a.ip ?? '')
  if (a.hostname) errs.push(...isDNS1123Label(a.hostname).map(m => invalidValue(path.child('hostname'), a.hostname, m)))
  if (a.nodeName !== undefined)
    errs.push(...nameIsDNSSubdomain(a.nodeName, false).map(m => invalidValue(path.child('nodeName'), a.nodeName, m)))
  errs.push(...validateNonSpecialIP(path.child('ip'), a.ip ?? ''))
  return errs
}

/** validateEndpointPort (shared shape with Service ports, without target ports). */
export function validateEndpointPort(port: EndpointPort, requireName: boolean, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (requireName && !port.name) errs.push(required(path.child('name')))
  else if (port.name) errs.push(...isDNS1123Label(port.name).map(m => invalidValue(path.child('name'), port.name, m)))
  for (const m of isValidPortNum(port.port ?? 0)) errs.push(invalidValue(path.child('port'), port.port ?? 0, m))
  if (!port.protocol) errs.push(required(path.child('protocol')))
  else if (!protocols.includes(port.protocol)) errs.push(notSupported(path.child('protocol'), port.protocol, protocols))
  if (port.appProtocol !== undefined)
    errs.push(
      ...isQualifiedName(port.appProtocol).map(m => invalidValue(path.child('appProtocol'), port.appProtocol, m)),
    )
  return errs
}

/** ValidateEndpoints without ObjectMeta. */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = []
  for (const [i, ss] of (ep.subsets ?? []).entries()) {
    const p = Path.root('subsets').index(i)
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length)
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'))
    for (const [j, a] of (ss.addresses ?? []).entries()) errs.push(...validateAddress(a, p.child('addresses').index(j)))
    for (const [j, a] of (ss.notReadyAddresses ?? []).entries())
      errs.push(...validateAddress(a, p.child('notReadyAddresses').index(j)))
    const ports = ss.ports ?? []
    for (const [j, port] of ports.entries())
      errs.push(...validateEndpointPort(port, ports.length > 1, p.child('ports').index(j)))
  }
  return errs
}

/** The Endpoints cell: up to three ip:port (or bare ip) entries, then ` + N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? []
  if (subsets.length === 0) return '<none>'
  const max = 3
  const list: string[] = []
  let count = 0
  let more = false
  const add = (s: string) => {
    if (list.length === max) more = true
    else list.push(s)
  }
  for (const ss of subsets) {
    const addrs = ss.addresses ?? []
    if (!ss.ports?.length) {
      count += addrs.length
      for (const a of addrs) add(a.ip)
      continue
    }
    for (const port of ss.ports) {
      count += addrs.length
      for (const a of addrs) add(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`)
    }
  }
  const text = list.join(',')
  return more ? `${text} + ${count - max} more...` : text
}

/** The Endpoints strategy. */
export const strategy: ResourceStrategy<Endpoints> = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  allowCreateOnUpdate: true,
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP'
  },
  validate: validateEndpoints,
  validateUpdate: validateEndpoints,
  printer: {
    columns: [
      nameColumn(),
      column(
        'Endpoints',
        'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
      ),
      ageColumn(),
    ],
    cells: (ep, now) => [ep.metadata.name ?? '', formatEndpoints(ep), ageCell(ep, now)],
  },
}
