import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { EndpointSubset, Endpoints } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { formatEndpoints, strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const ep = (subsets?: EndpointSubset[]): Endpoints => ({ metadata: { name: 'kubia', namespace: 'default' }, subsets })

describe('endpoints strategy', () => {
  it('defaults port protocols and validates subsets', () => {
    const obj = ep([{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 8080 }] }])
    strategy.defaults!(obj)
    assert.equal(obj.subsets?.[0]?.ports?.[0]?.protocol, 'TCP')
    const cases: { name: string; in: Endpoints; want: string }[] = [
      { name: 'ok', in: obj, want: '' },
      {
        name: 'empty subset',
        in: ep([{ ports: [{ port: 80, protocol: 'TCP' }] }]),
        want: 'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      },
      {
        name: 'loopback',
        in: ep([{ addresses: [{ ip: '127.0.0.1' }] }]),
        want: 'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      },
      {
        name: 'bad ip',
        in: ep([{ addresses: [{ ip: 'x' }] }]),
        want: '[subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address]',
      },
      {
        name: 'unnamed ports',
        in: ep([
          {
            addresses: [{ ip: '10.0.0.1' }],
            ports: [
              { port: 80, protocol: 'TCP' },
              { port: 81, protocol: 'TCP' },
            ],
          },
        ]),
        want: '[subsets[0].ports[0].name: Required value, subsets[0].ports[1].name: Required value]',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
  })

  it('formats the Endpoints cell', () => {
    const addrs = (...ips: string[]) => ips.map(ip => ({ ip }))
    const cases: { name: string; in: Endpoints; want: string }[] = [
      { name: 'none', in: ep(), want: '<none>' },
      { name: 'not ready only', in: ep([{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }]), want: '' },
      {
        name: 'headless without ports',
        in: ep([{ addresses: addrs('10.0.0.1', '10.0.0.2') }]),
        want: '10.0.0.1,10.0.0.2',
      },
      {
        name: 'three',
        in: ep([{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3'), ports: [{ port: 8080 }] }]),
        want: '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080',
      },
      {
        name: 'more',
        in: ep([{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 443 }] }]),
        want: '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
      },
      { name: 'ipv6', in: ep([{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }]), want: '[fd00::1]:80' },
    ]
    for (const c of cases) assert.equal(formatEndpoints(c.in), c.want, c.name)
    const obj = ep()
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    assert.deepEqual(strategy.printer!.cells(obj, Date.parse('2025-01-01T00:00:01Z')), ['kubia', '<none>', '1s'])
    assert.equal(strategy.allowCreateOnUpdate, true)
  })
})
