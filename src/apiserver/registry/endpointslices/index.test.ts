import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { EndpointSlice } from '../../../api/discovery.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const slice = (extra: Partial<EndpointSlice>): EndpointSlice => ({
  metadata: { name: 'kubia-abcde', namespace: 'default' },
  addressType: 'IPv4',
  endpoints: [],
  ...extra,
})

describe('endpointslices strategy', () => {
  it('defaults port name and protocol', () => {
    const es = slice({ ports: [{ port: 8080 }] })
    strategy.defaults!(es)
    assert.deepEqual(es.ports, [{ port: 8080, name: '', protocol: 'TCP' }])
  })

  it('validates address types, endpoints and ports', () => {
    const cases: { name: string; in: EndpointSlice; want: string }[] = [
      {
        name: 'ok',
        in: slice({
          endpoints: [{ addresses: ['10.244.0.5'], hostname: 'kubia-0' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        }),
        want: '',
      },
      { name: 'no type', in: slice({ addressType: '' }), want: 'addressType: Required value' },
      {
        name: 'bad type',
        in: slice({ addressType: 'IP' }),
        want: 'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
      },
      {
        name: 'no addresses',
        in: slice({ endpoints: [{ addresses: [] }] }),
        want: 'endpoints[0].addresses: Required value: must contain at least 1 address',
      },
      {
        name: 'ipv6 in ipv4 slice',
        in: slice({ endpoints: [{ addresses: ['fd00::1'] }] }),
        want: 'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      },
      {
        name: 'fqdn',
        in: slice({ addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] }),
        want: 'endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
      },
      {
        name: 'duplicate port names',
        in: slice({
          ports: [
            { name: '', protocol: 'TCP' },
            { name: '', protocol: 'TCP' },
          ],
        }),
        want: 'ports[1].name: Duplicate value: ""',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
    assert.equal(
      fmt(strategy.validateUpdate!(slice({ addressType: 'IPv6' }), slice({}))),
      'addressType: Invalid value: "IPv6": field is immutable',
    )
  })

  it('prints AddressType, Ports and Endpoints', () => {
    const now = Date.parse('2025-01-01T00:00:10Z')
    const base = { metadata: { name: 's', creationTimestamp: '2025-01-01T00:00:00Z' } }
    const cases: { name: string; in: EndpointSlice; want: unknown[] }[] = [
      {
        name: 'empty',
        in: { ...base, addressType: 'IPv4', endpoints: [] },
        want: ['s', 'IPv4', '<unset>', '<unset>', '10s'],
      },
      {
        name: 'full',
        in: {
          ...base,
          addressType: 'IPv4',
          ports: [{ port: 80 }, { name: 'x' }, {}, { port: 9 }],
          endpoints: [
            { addresses: ['10.0.0.1', '10.0.0.2'] },
            { addresses: ['10.0.0.3'] },
            { addresses: ['10.0.0.4'] },
          ],
        },
        want: ['s', 'IPv4', '80,x,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '10s'],
      },
    ]
    for (const c of cases) assert.deepEqual(strategy.printer!.cells(c.in, now), c.want, c.name)
    assert.equal(strategy.shortNames, undefined)
    assert.equal(strategy.group, 'discovery.k8s.io')
  })
})
