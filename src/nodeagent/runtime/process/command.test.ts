/** Kubernetes' command/args rules, the container environment and image users. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { containerArgv, containerEnv, resolveUser } from './command.js'

describe('containerArgv', () => {
  const image = { entrypoint: ['/entry.sh'], cmd: ['nginx', '-g', 'daemon off;'] }
  const cases: { name: string; command?: string[]; args?: string[]; want: string[] }[] = [
    { name: 'image defaults', want: ['/entry.sh', 'nginx', '-g', 'daemon off;'] },
    { name: 'args replace cmd', args: ['sleep', '1'], want: ['/entry.sh', 'sleep', '1'] },
    { name: 'command drops entrypoint and cmd', command: ['sh'], want: ['sh'] },
    { name: 'command with args', command: ['sh', '-c'], args: ['true'], want: ['sh', '-c', 'true'] },
  ]
  for (const c of cases) it(c.name, () => assert.deepEqual(containerArgv(c, image), c.want))
  it('refuses an image and container with nothing to run', () => {
    assert.throws(() => containerArgv({}, {}), /no command specified/)
  })
})

it('builds the environment: defaults, image, HOSTNAME, then the container', () => {
  const env = containerEnv({
    image: { env: ['PATH=/busybox/bin:/usr/bin', 'HOSTNAME=image', 'A=image'] },
    config: { env: [{ name: 'A', value: 'container' }], tty: true },
    hostname: 'web-0',
    home: '/root',
  })
  assert.deepEqual(env, {
    PATH: '/busybox/bin:/usr/bin',
    HOME: '/root',
    TERM: 'xterm',
    HOSTNAME: 'web-0',
    A: 'container',
  })
})

describe('resolveUser', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\npostgres:x:101:104::/var/lib/postgresql:/bin/bash\n'
  const group = 'root:x:0:\npostgres:x:104:\nssl-cert:x:109:postgres\n'
  const cases: [string | undefined, object][] = [
    [undefined, { uid: 0, gid: 0, home: '/root' }],
    ['postgres', { uid: 101, gid: 104, home: '/var/lib/postgresql', additionalGids: [109] }],
    ['101', { uid: 101, gid: 104, home: '/var/lib/postgresql', additionalGids: [109] }],
    ['1234', { uid: 1234, gid: 0, home: undefined }],
    ['1234:5', { uid: 1234, gid: 5, home: undefined }],
    ['postgres:root', { uid: 101, gid: 0, home: '/var/lib/postgresql', additionalGids: [109] }],
  ]
  for (const [user, want] of cases)
    it(`resolves ${user}`, () => assert.deepEqual(resolveUser(user, passwd, group), want))
  it('refuses unknown names', () => {
    assert.throws(() => resolveUser('nobody-here', passwd, group), /unable to find user nobody-here/)
  })
})
