/**
 * EndpointSlice strategy (discovery.k8s.io/v1, upstream pkg/registry/discovery/endpointslice):
 * port name "" and protocol TCP by default, addressType required and immutable, endpoint and
 * port validation, and the Name·AddressType·Ports·Endpoints·Age printer. Pure.
 */
import type { Endpoint, EndpointPort, EndpointSlice } from '../../../api/discovery.js'
import {
  duplicate,
  type FieldError,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabels } from '../../../machinery/labels.js'
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidIP,
  isValidLabelValue,
  nameIsDNSSubdomain,
} from '../../../machinery/validation/names.js'
import { ageCell, ageColumn, column, listWithMore, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { fieldImmutable } from '../secrets/validation.js'
import { validateNonSpecialIP } from '../services/format.js'
import { parseIPv4 } from '../services/network.js'

const addressTypes = ['FQDN', 'IPv4', 'IPv6']
const protocols = ['SCTP', 'TCP', 'UDP']
const maxEndpoints = 1000
const maxAddresses = 100
const maxPorts = 100
const maxTopologyLabels = 16
const maxZoneHints = 8

/** field.TooMany; upstream prints the actual count as the value. */
const tooMany = (path: Path, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field: String(path),
  value: actual,
  hasValue: true,
  detail: `must have at most ${max} items`,
})

/** validation.IsFullyQualifiedDomainName. */
function validateFQDN(path: Path, name: string): FieldError[] {
  if (!name) return [required(path)]
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name
  const sub = isDNS1123Subdomain(trimmed)
  if (sub.length) return [invalidValue(path, trimmed, sub.join(','))]
  const labels = trimmed.split('.')
  if (labels.length < 2)
    return [invalidValue(path, trimmed, 'should be a domain with at least two segments separated by dots')]
  for (const l of labels) {
    const e = isDNS1123Label(l)
    if (e.length) return [invalidValue(path, l, e.join(','))]
  }
  return []
}

function validateAddress(addressType: string, address: string, path: Path): FieldError[] {
  switch (addressType) {
    case 'IPv4':
      if (parseIPv4(address) === undefined)
        return [invalidValue(path, address, 'must be a valid IPv4 address'), ...validateNonSpecialIP(path, address)]
      return validateNonSpecialIP(path, address)
    case 'IPv6':
      if (!address.includes(':') || isValidIP(address).length)
        return [invalidValue(path, address, 'must be a valid IPv6 address'), ...validateNonSpecialIP(path, address)]
      return validateNonSpecialIP(path, address)
    case 'FQDN':
      return validateFQDN(path, address)
    default:
      return []
  }
}

function validateEndpoint(e: Endpoint, addressType: string, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const ap = path.child('addresses')
  const addresses = e.addresses ?? []
  if (addresses.length === 0) errs.push(required(ap, 'must contain at least 1 address'))
  else if (addresses.length > maxAddresses) errs.push(tooMany(ap, addresses.length, maxAddresses))
  for (const [i, a] of addresses.entries()) errs.push(...validateAddress(addressType, a, ap.index(i)))
  if (e.nodeName !== undefined)
    errs.push(...nameIsDNSSubdomain(e.nodeName, false).map(m => invalidValue(path.child('nodeName'), e.nodeName, m)))
  const tp = path.child('deprecatedTopology')
  const topology = e.deprecatedTopology ?? {}
  if (Object.keys(topology).length > maxTopologyLabels)
    errs.push(tooMany(tp, Object.keys(topology).length, maxTopologyLabels))
  errs.push(...validateLabels(topology, tp))
  if (e.hostname !== undefined)
    errs.push(...isDNS1123Label(e.hostname).map(m => invalidValue(path.child('hostname'), e.hostname, m)))
  if (e.hints) {
    const zp = path.child('hints').child('forZones')
    const zones = e.hints.forZones ?? []
    if (zones.length > maxZoneHints) errs.push(tooMany(zp, zones.length, maxZoneHints))
    else {
      const seen = new Set<string>()
      for (const [i, z] of zones.entries()) {
        const p = zp.index(i).child('name')
        if (seen.has(z.name)) errs.push(duplicate(p, z.name))
        else seen.add(z.name)
        errs.push(...isValidLabelValue(z.name).map(m => invalidValue(p, z.name, m)))
      }
    }
  }
  return errs
}

function validatePorts(ports: EndpointPort[]): FieldError[] {
  const path = Path.root('ports')
  if (ports.length > maxPorts) return [tooMany(path, ports.length, maxPorts)]
  const errs: FieldError[] = []
  const names = new Set<string>()
  for (const [i, port] of ports.entries()) {
    const p = path.index(i)
    const name = port.name ?? ''
    if (name) errs.push(...isDNS1123Label(name).map(m => invalidValue(p.child('name'), name, m)))
    if (names.has(name)) errs.push(duplicate(p.child('name'), name))
    else names.add(name)
    if (!port.protocol) errs.push(required(p.child('protocol')))
    else if (!protocols.includes(port.protocol)) errs.push(notSupported(p.child('protocol'), port.protocol, protocols))
    if (port.appProtocol !== undefined)
      errs.push(
        ...isQualifiedName(port.appProtocol).map(m => invalidValue(p.child('appProtocol'), port.appProtocol, m)),
      )
  }
  return errs
}

/** ValidateEndpointSlice without ObjectMeta. */
export function validateEndpointSlice(es: EndpointSlice): FieldError[] {
  const errs: FieldError[] = []
  if (!es.addressType) errs.push(required(Path.root('addressType')))
  else if (!addressTypes.includes(es.addressType))
    errs.push(notSupported(Path.root('addressType'), es.addressType, addressTypes))
  const endpoints = es.endpoints ?? []
  if (endpoints.length > maxEndpoints) errs.push(tooMany(Path.root('endpoints'), endpoints.length, maxEndpoints))
  else
    for (const [i, e] of endpoints.entries())
      errs.push(...validateEndpoint(e, es.addressType, Path.root('endpoints').index(i)))
  errs.push(...validatePorts(es.ports ?? []))
  return errs
}

/** The EndpointSlice strategy. */
export const strategy: ResourceStrategy<EndpointSlice> = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  generation: true,
  defaults(es) {
    for (const p of es.ports ?? []) {
      p.name ??= ''
      p.protocol ??= 'TCP'
    }
  },
  validate: validateEndpointSlice,
  validateUpdate(es, old) {
    const errs = validateEndpointSlice(es)
    if (es.addressType !== old.addressType)
      errs.push(invalidValue(Path.root('addressType'), es.addressType, fieldImmutable))
    return errs
  },
  printer: {
    columns: [
      nameColumn(),
      column(
        'AddressType',
        'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
      ),
      column(
        'Ports',
        'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
      ),
      column(
        'Endpoints',
        'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
      ),
      ageColumn(),
    ],
    cells: (es, now) => [
      es.metadata.name ?? '',
      es.addressType ?? '',
      listWithMore(
        (es.ports ?? []).map(p => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))),
        3,
        '<unset>',
      ),
      listWithMore(
        (es.endpoints ?? []).flatMap(e => e.addresses ?? []),
        3,
        '<unset>',
      ),
      ageCell(es, now),
    ],
  },
}
