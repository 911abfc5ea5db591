import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { Service, ServiceSpec } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import type { AdmissionContext } from '../resource.js'
import { configureServiceNetwork, strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const svc = (spec: ServiceSpec, name = 'web'): Service => ({ metadata: { name, namespace: 'default' }, spec })
const created = async (s: Service, ctx: AdmissionContext = { list: async () => [] }) => {
  const obj = structuredClone(s)
  strategy.defaults!(obj)
  strategy.prepareForCreate!(obj)
  const errs = strategy.validate!(obj)
  if (errs.length) throw new Error(fmt(errs))
  await strategy.admitCreate!(obj, ctx)
  return obj
}
const message = (e: unknown) => (e as Error).message

describe('services strategy', () => {
  beforeEach(() => configureServiceNetwork({ cidr: '10.96.0.0/12', nodePortRange: '30000-32767', random: () => 0 }))

  it('defaults a plain ClusterIP service and allocates its IP', async () => {
    const obj = await created(svc({ selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] }))
    assert.deepEqual(obj.spec, {
      selector: { app: 'kubia' },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      clusterIP: '10.96.1.1',
      clusterIPs: ['10.96.1.1'],
    })
    assert.deepEqual(obj.status, { loadBalancer: {} })
  })

  it('keeps the seed headless service headless', async () => {
    const obj = await created(
      svc({ clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ port: 80, name: 'web' }] }),
    )
    assert.equal(obj.spec?.clusterIP, 'None')
    assert.deepEqual(obj.spec?.clusterIPs, ['None'])
    assert.deepEqual(obj.spec?.ports, [{ port: 80, name: 'web', protocol: 'TCP', targetPort: 80 }])
    assert.deepEqual([obj.spec?.ipFamilyPolicy, obj.spec?.ipFamilies], ['SingleStack', ['IPv4']])
    const selectorless = await created(svc({ clusterIP: 'None', ports: [{ port: 80 }] }))
    assert.deepEqual(
      [selectorless.spec?.ipFamilyPolicy, selectorless.spec?.ipFamilies],
      ['RequireDualStack', ['IPv4', 'IPv6']],
    )
  })

  it('allocates node ports for NodePort and LoadBalancer services', async () => {
    const np = await created(
      svc({
        type: 'NodePort',
        ports: [
          { port: 80, name: 'http' },
          { port: 443, name: 'https', nodePort: 30443 },
        ],
      }),
    )
    assert.deepEqual(
      np.spec?.ports?.map(p => p.nodePort),
      [30086, 30443],
    )
    assert.equal(np.spec?.externalTrafficPolicy, 'Cluster')
    const dns = await created(
      svc({
        type: 'NodePort',
        ports: [
          { port: 53, name: 'tcp' },
          { port: 53, name: 'udp', protocol: 'UDP' },
        ],
      }),
    )
    assert.equal(dns.spec?.ports?.[0]?.nodePort, dns.spec?.ports?.[1]?.nodePort)
    const lb = await created(svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))
    assert.equal(lb.spec?.allocateLoadBalancerNodePorts, true)
    assert.ok(lb.spec?.healthCheckNodePort && lb.spec.healthCheckNodePort !== lb.spec.ports?.[0]?.nodePort)
  })

  it('turns allocation failures into upstream errors', async () => {
    const taken: AdmissionContext = {
      list: async () => [
        svc(
          {
            clusterIP: '10.96.0.5',
            clusterIPs: ['10.96.0.5'],
            type: 'NodePort',
            ports: [{ port: 1, nodePort: 30080 }],
          },
          'other',
        ),
      ],
    }
    const cases: { name: string; in: Service; want: string }[] = [
      {
        name: 'clusterIP taken',
        in: svc({ clusterIP: '10.96.0.5', ports: [{ port: 80 }] }),
        want: 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated',
      },
      {
        name: 'clusterIP out of range',
        in: svc({ clusterIP: '192.168.1.1', ports: [{ port: 80 }] }),
        want: 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: provided IP 192.168.1.1 is not in the valid range',
      },
      {
        name: 'nodePort taken',
        in: svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
        want: 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
      },
      {
        name: 'IPv6 requested',
        in: svc({ clusterIP: 'fd00::1', ports: [{ port: 80 }] }),
        want: 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::1"}: IPv6 is not configured on this cluster',
      },
      {
        name: 'dual-stack required',
        in: svc({ ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }),
        want: 'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
      },
    ]
    for (const c of cases) assert.equal(await created(c.in, taken).then(() => 'ok', message), c.want, c.name)
    configureServiceNetwork({ cidr: '10.0.0.0/30' })
    await created(svc({ ports: [{ port: 80 }] }))
    assert.equal(
      await created(svc({ ports: [{ port: 80 }] })).then(() => 'ok', message),
      'Internal error occurred: failed to allocate a serviceIP: range is full',
    )
  })

  it('validates with upstream messages', () => {
    const cases: { name: string; spec: ServiceSpec; want: string }[] = [
      { name: 'no ports', spec: { selector: { a: 'b' } }, want: 'spec.ports: Required value' },
      {
        name: 'unnamed second port',
        spec: { ports: [{ port: 80, name: 'a' }, { port: 81 }] },
        want: 'spec.ports[1].name: Required value',
      },
      {
        name: 'duplicate port name',
        spec: {
          ports: [
            { port: 80, name: 'a' },
            { port: 81, name: 'a' },
          ],
        },
        want: 'spec.ports[1].name: Duplicate value: "a"',
      },
      {
        name: 'port zero',
        spec: { ports: [{ port: 0 }] },
        want: '[spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]',
      },
      {
        name: 'bad protocol',
        spec: { ports: [{ port: 80, protocol: 'HTTP' }] },
        want: 'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      },
      {
        name: 'duplicate port',
        spec: {
          ports: [
            { port: 80, name: 'a' },
            { port: 80, name: 'b' },
          ],
        },
        want: 'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      },
      {
        name: 'nodePort on ClusterIP',
        spec: { ports: [{ port: 80, nodePort: 30000 }] },
        want: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
      },
      {
        name: 'bad type',
        spec: { type: 'Magic', ports: [{ port: 80 }] },
        want: 'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      },
      {
        name: 'headless NodePort',
        spec: { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] },
        want: 'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
      },
      { name: 'ExternalName without name', spec: { type: 'ExternalName' }, want: 'spec.externalName: Required value' },
      { name: 'ExternalName ok', spec: { type: 'ExternalName', externalName: 'example.com.' }, want: '' },
      {
        name: 'bad clusterIP',
        spec: { clusterIP: '10.96.0.300', ports: [{ port: 80 }] },
        want: 'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      },
      {
        name: 'affinity timeout',
        spec: {
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
          ports: [{ port: 80 }],
        },
        want: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
      },
      {
        name: 'loopback external IP',
        spec: { externalIPs: ['127.0.0.1'], ports: [{ port: 80 }] },
        want: 'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      },
    ]
    for (const c of cases) {
      const obj = svc(c.spec)
      strategy.defaults!(obj)
      strategy.prepareForCreate!(obj)
      assert.equal(fmt(strategy.validate!(obj)), c.want, c.name)
    }
    assert.deepEqual(strategy.validateName!('web-1'), [])
    assert.equal(strategy.validateName!('1web').length, 1)
  })

  it('keeps allocated values on update and refuses to change them', async () => {
    const old = await created(svc({ type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, name: 'http' }] }))
    // A replace without the allocated fields keeps them.
    const resubmit = svc({ type: 'NodePort', selector: { a: 'c' }, ports: [{ port: 80, name: 'http' }] })
    strategy.prepareForUpdate!(resubmit, old)
    strategy.defaults!(resubmit)
    assert.equal(fmt(strategy.validateUpdate!(resubmit, old)), '')
    assert.equal(resubmit.spec?.clusterIP, old.spec?.clusterIP)
    assert.deepEqual([resubmit.spec?.ipFamilyPolicy, resubmit.spec?.ipFamilies], ['SingleStack', ['IPv4']])
    assert.equal(resubmit.spec?.ports?.[0]?.nodePort, old.spec?.ports?.[0]?.nodePort)
    // Changing the clusterIP is refused.
    const moved = structuredClone(old)
    moved.spec!.clusterIP = '10.96.0.9'
    strategy.prepareForUpdate!(moved, old)
    assert.equal(
      fmt(strategy.validateUpdate!(moved, old)),
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set',
    )
    // NodePort → ClusterIP drops the node ports the server allocated.
    const toClusterIP = structuredClone(old)
    toClusterIP.spec!.type = 'ClusterIP'
    strategy.prepareForUpdate!(toClusterIP, old)
    strategy.defaults!(toClusterIP)
    assert.equal(fmt(strategy.validateUpdate!(toClusterIP, old)), '')
    assert.equal(toClusterIP.spec?.ports?.[0]?.nodePort, undefined)
    assert.equal(toClusterIP.spec?.externalTrafficPolicy, undefined)
  })

  it('allocates on update when a service starts needing it', async () => {
    const old = await created(svc({ ports: [{ port: 80 }] }))
    const next = structuredClone(old)
    next.spec!.type = 'NodePort'
    strategy.prepareForUpdate!(next, old)
    strategy.defaults!(next)
    await strategy.admitUpdate!(next, old, { list: async () => [old] })
    assert.ok((next.spec?.ports?.[0]?.nodePort ?? 0) >= 30000)
    const ext = await created(svc({ type: 'ExternalName', externalName: 'example.com' }))
    const back = structuredClone(ext)
    back.spec = { type: 'ClusterIP', ports: [{ port: 80 }] }
    strategy.prepareForUpdate!(back, ext)
    strategy.defaults!(back)
    await strategy.admitUpdate!(back, ext, { list: async () => [] })
    assert.match(back.spec?.clusterIP ?? '', /^10\.96\./)
  })

  it('validates load balancer status', () => {
    const lb = (
      type: string,
      ingress: NonNullable<NonNullable<Service['status']>['loadBalancer']>['ingress'],
    ): Service => ({
      ...svc({ type }),
      status: { loadBalancer: { ingress } },
    })
    const cases: { name: string; in: Service; want: string }[] = [
      { name: 'ok', in: lb('LoadBalancer', [{ ip: '1.2.3.4', ipMode: 'VIP' }]), want: '' },
      {
        name: 'not a load balancer',
        in: lb('ClusterIP', [{ ip: '1.2.3.4' }]),
        want: "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
      },
      {
        name: 'hostname is an IP',
        in: lb('LoadBalancer', [{ hostname: '1.2.3.4' }]),
        want: 'status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
      },
    ]
    for (const c of cases) {
      strategy.defaults!(c.in)
      assert.equal(fmt(strategy.validateStatusUpdate!(c.in, c.in)), c.want, c.name)
    }
  })

  it('prints the columns of kubectl get svc', () => {
    const now = Date.parse('2025-01-01T00:05:00Z')
    const base = (spec: ServiceSpec): Service => ({
      ...svc(spec),
      metadata: { name: 'web', creationTimestamp: '2025-01-01T00:00:00Z' },
    })
    const cases: { name: string; in: Service; want: unknown[] }[] = [
      {
        name: 'kubernetes',
        in: base({ type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] }),
        want: ['web', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '5m', '<none>'],
      },
      {
        name: 'headless',
        in: base({
          type: 'ClusterIP',
          clusterIPs: ['None'],
          selector: { app: 'nginx' },
          ports: [{ port: 80, protocol: 'TCP' }],
        }),
        want: ['web', 'ClusterIP', 'None', '<none>', '80/TCP', '5m', 'app=nginx'],
      },
      {
        name: 'nodeport',
        in: base({
          type: 'NodePort',
          clusterIPs: ['10.96.3.4'],
          ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
        }),
        want: ['web', 'NodePort', '10.96.3.4', '<none>', '80:30080/TCP', '5m', '<none>'],
      },
      {
        name: 'pending LB',
        in: base({ type: 'LoadBalancer', clusterIPs: ['10.96.3.4'], ports: [] }),
        want: ['web', 'LoadBalancer', '10.96.3.4', '<pending>', '<none>', '5m', '<none>'],
      },
      {
        name: 'external name',
        in: base({ type: 'ExternalName', externalName: 'example.com' }),
        want: ['web', 'ExternalName', '<none>', 'example.com', '<none>', '5m', '<none>'],
      },
    ]
    for (const c of cases) assert.deepEqual(strategy.printer!.cells(c.in, now), c.want, c.name)
    const lb = base({ type: 'LoadBalancer', externalIPs: ['1.2.3.4'], ports: [{ port: 80, protocol: 'TCP' }] })
    lb.status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { hostname: 'lb.example.com' }] } }
    assert.equal(strategy.printer!.cells(lb, now)[3], '5.6.7.8,lb.example.com,1.2.3.4')
    assert.deepEqual(
      strategy.printer!.columns.map(c => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Type', 0],
        ['Cluster-IP', 0],
        ['External-IP', 0],
        ['Port(s)', 0],
        ['Age', 0],
        ['Selector', 1],
      ],
    )
    assert.deepEqual(strategy.fieldLabels!(lb), { 'spec.clusterIP': '', 'spec.type': 'LoadBalancer' })
  })
})
