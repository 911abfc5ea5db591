import assert from 'node:assert/strict'
import { test } from 'node:test'
import { IpCommandError, isExists, isMissing, unlessExists } from './ip-command.js'

test("iproute2's messages for objects that already exist", () => {
  const err = (stderr: string) => new IpCommandError(['addr', 'add', '10.96.0.10/32', 'dev', 'psvc0'], stderr)
  // What `ip addr add` of an address the link already has says with extended acks (Debian 12).
  assert.ok(isExists(err('Error: ipv4: Address already assigned.\n')))
  assert.ok(isExists(err('RTNETLINK answers: File exists\n')))
  assert.ok(isExists(err('Error: Nexthop device is not up.\nRTNETLINK answers: File exists\n')))
  assert.ok(!isExists(err('Error: ipv4: Address not found.\n')))
  assert.equal(unlessExists(err('Error: ipv4: Address already assigned.\n')), undefined)
  assert.throws(() => unlessExists(err('Cannot find device "psvc0"\n')), /Cannot find device/)
  assert.ok(isMissing(err('Cannot find device "psvc0"\n')))
})
