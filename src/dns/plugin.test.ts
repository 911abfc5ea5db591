/** Tests of the handler chain: order, NEXT, REFUSED at the end, lookups through the chain. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Rcode, rcodeOf, replyTo, rr } from './message.js'
import { chain, type Handler, NEXT, queryFor, requestOf } from './plugin.js'

const answering = (name: string, ip: string): Handler => ({
  name,
  serveDNS: (_ctx, req) => (req.name === name ? replyTo(req.msg, { answers: [rr(req.qname, 'A', 5, ip)] }) : NEXT),
})

test('the first handler that answers wins; NEXT passes on; nobody answering is REFUSED', async () => {
  const run = chain([answering('a.test', '10.0.0.1'), answering('b.test', '10.0.0.2'), answering('a.test', '10.0.0.9')])
  const a = await run(requestOf(queryFor('A.Test.', 'A', 5), 'udp'))
  assert.equal(a.id, 5)
  assert.deepEqual(
    a.answers!.map(x => (x as { data: string }).data),
    ['10.0.0.1'],
  )
  const b = await run(requestOf(queryFor('b.test', 'A'), 'udp'))
  assert.deepEqual(
    b.answers!.map(x => (x as { data: string }).data),
    ['10.0.0.2'],
  )
  assert.equal(rcodeOf(await run(requestOf(queryFor('c.test', 'A'), 'udp'))), Rcode.REFUSED)
})

test('requestOf keeps the asked case in qname and lower-cases name', () => {
  const req = requestOf(queryFor('Web-0.Nginx.', 'SRV'), 'tcp')
  assert.equal(req.qname, 'Web-0.Nginx')
  assert.equal(req.name, 'web-0.nginx')
  assert.equal(req.qtype, 'SRV')
  assert.equal(req.transport, 'tcp')
  assert.equal(requestOf(queryFor('.', 'NS'), 'udp').name, '')
})

test('ctx.lookup resolves through the whole chain and stops a loop at a fixed depth', async () => {
  let calls = 0
  const alias: Handler = {
    name: 'alias',
    async serveDNS(ctx, req) {
      if (req.name === 'a.test') {
        const target = await ctx.lookup('b.test', 'A')
        return replyTo(req.msg, { answers: [rr(req.qname, 'CNAME', 5, 'b.test'), ...(target.answers ?? [])] })
      }
      if (req.name === 'loop.test') {
        calls++
        return ctx.lookup('loop.test', 'A')
      }
      return NEXT
    },
  }
  const run = chain([alias, answering('b.test', '10.0.0.2')])
  const a = await run(requestOf(queryFor('a.test', 'A'), 'udp'))
  assert.equal(a.answers!.length, 2)
  const loop = await run(requestOf(queryFor('loop.test', 'A'), 'udp'))
  assert.equal(rcodeOf(loop), Rcode.SERVFAIL)
  assert.equal(calls, 9)
})
