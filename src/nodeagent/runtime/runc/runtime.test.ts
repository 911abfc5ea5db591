/**
 * The runc runtime: the shared ContainerRuntime contract, then its lifecycle promises: CRI logs,
 * graceful stop (the TERM handler runs) and KILL after the grace period, exit codes, start
 * errors, exec and attach, and re-adoption of running containers by a new instance. Needs root
 * and runc; skips with a message otherwise. isolation.test.ts covers namespaces, mounts, cgroups.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { logText, parseCriLog } from '../process/cri-log.js'
import { collectStreams, until } from '../process/testing.js'
import { runRuntimeContract } from '../runtime.contract.js'
import { removeNodeCgroups } from './cgroups.js'
import { RuncRuntime } from './runtime.js'
import { container, runcUnavailable, testImages } from './testing.js'

if (runcUnavailable) it('runc runtime', t => t.skip(runcUnavailable))
else {
  let contractRoot = ''
  runRuntimeContract('runc', async () => {
    contractRoot = await mkdtemp(join(tmpdir(), 'petset-runc-'))
    return {
      runtime: new RuncRuntime({ rootDir: contractRoot, images: testImages, nodeName: 'contract', pollMs: 50 }),
      podCIDR: '10.244.1.0/24',
      sandboxIPs: 'node',
      longRunning: name => container(name, ['sleep', '60']),
      exiting: (name, code) => container(name, ['sh', '-c', `exit ${code}`]),
      cleanup: async () => {
        await removeNodeCgroups('contract')
        await rm(contractRoot, { recursive: true, force: true })
      },
    }
  })

  describe('RuncRuntime lifecycle', () => {
    let root: string
    let rt: RuncRuntime
    let n = 0
    const sandbox = () => {
      n++
      return rt.runPodSandbox({ uid: `life-${n}`, namespace: 'default', name: `pod-${n}` })
    }
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'petset-runc-'))
      rt = new RuncRuntime({ rootDir: root, images: testImages, nodeName: 'life', pollMs: 50 })
      await rt.updateRuntimeConfig({ podCIDR: '10.244.9.0/24' })
    })
    after(async () => {
      for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id)
      await rt.close()
      await removeNodeCgroups('life')
      await rm(root, { recursive: true, force: true })
    })

    it('writes stdout and stderr to the log file in CRI format', async () => {
      const sb = await sandbox()
      const c = await rt.startContainer(sb.id, container('log', ['sh', '-c', 'echo one; echo two >&2; printf tail']))
      await until(async () => (await rt.containerStatus(c.id)).state === 'exited', 'exit')
      const entries = parseCriLog(await readFile(rt.logPath(c.id)!, 'utf8'))
      assert.equal(logText(entries, 'stdout'), 'one\ntail')
      assert.equal(logText(entries, 'stderr'), 'two\n')
      assert.match(entries[0]!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
    })

    it('stops gracefully: the TERM handler runs and decides the exit code', async () => {
      const sb = await sandbox()
      const script = 'trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 0.1; done'
      const c = await rt.startContainer(sb.id, container('graceful', ['sh', '-c', script]))
      await until(async () => (await readFile(rt.logPath(c.id)!, 'utf8')).includes('ready'), 'the trap')
      await rt.stopContainer(c.id, { graceSeconds: 10 })
      const s = await rt.containerStatus(c.id)
      assert.deepEqual([s.exitCode, s.reason], [0, 'Completed'])
      assert.match(await readFile(rt.logPath(c.id)!, 'utf8'), /stdout F bye/)
    })

    it('kills after the grace period when TERM is ignored (137)', async () => {
      const sb = await sandbox()
      const c = await rt.startContainer(sb.id, container('stubborn', ['sleep', '60']))
      const t0 = Date.now()
      await rt.stopContainer(c.id, { graceSeconds: 1 })
      assert.ok(Date.now() - t0 >= 900, 'waited for the grace period')
      const s = await rt.containerStatus(c.id)
      assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 137, 'Error'])
    })

    it('rejects a command that does not exist with runc’s message and leaves nothing behind', async () => {
      const sb = await sandbox()
      await assert.rejects(rt.startContainer(sb.id, container('bad', ['no-such-binary'])), /executable file not found/)
      assert.deepEqual(await rt.listContainers({ sandboxId: sb.id }), [])
    })

    it('exec returns output and exit code; a TTY exec gets a terminal of the asked size', async () => {
      const sb = await sandbox()
      const c = await rt.startContainer(sb.id, container('app', ['sleep', '60']))
      const plain = collectStreams()
      assert.equal(await rt.exec(c.id, ['sh', '-c', 'echo out; echo err >&2; exit 5'], plain.streams), 5)
      assert.deepEqual([plain.out(), plain.err()], ['out\n', 'err\n'])
      const tty = collectStreams({ tty: true })
      assert.equal(await rt.exec(c.id, ['sh', '-c', 'tty; stty size'], tty.streams), 0)
      assert.match(tty.out(), /^\/dev\/pts\/\d+\r\n30 100\r\n$/)
    })

    it('attach feeds stdin (stdinOnce) and resolves with the exit code', async () => {
      const sb = await sandbox()
      const c = await rt.startContainer(
        sb.id,
        container('cat', ['sh', '-c', 'cat; exit 6'], { stdin: true, stdinOnce: true }),
      )
      const stdin = new PassThrough()
      const s = collectStreams({ stdin })
      const done = rt.attach(c.id, s.streams)
      stdin.end('through runc\n')
      assert.equal(await done, 6)
      assert.equal(s.out(), 'through runc\n')
    })

    it('a TTY container: attach types into its shell, gets the terminal size, sees the exit', async () => {
      const sb = await sandbox()
      const c = await rt.startContainer(sb.id, container('sh', ['sh'], { tty: true, stdin: true, stdinOnce: true }))
      const stdin = new PassThrough()
      const s = collectStreams({ stdin, tty: true })
      const done = rt.attach!(c.id, s.streams)
      stdin.write('stty size; echo hi\n')
      await until(async () => s.out().includes('hi\r\n'), 'the echo')
      stdin.write('exit 3\n')
      assert.equal(await done, 3)
      assert.match(s.out(), /30 100\r\nhi\r\n/)
    })

    it('a new instance on the same rootDir re-adopts the running container', async () => {
      const sb = await sandbox()
      const c = await rt.startContainer(sb.id, container('long', ['sleep', '60']))
      const again = new RuncRuntime({ rootDir: root, images: testImages, nodeName: 'life', pollMs: 50 })
      try {
        const [adopted] = await again.listContainers({ sandboxId: sb.id })
        assert.deepEqual([adopted?.id, adopted?.state], [c.id, 'running'])
        const out = collectStreams()
        assert.equal(await again.exec(c.id, ['echo', 'still here'], out.streams), 0)
        assert.equal(out.out(), 'still here\n')
        await again.stopContainer(c.id, { graceSeconds: 0 })
        assert.equal((await again.containerStatus(c.id)).exitCode, 137)
        await until(async () => (await rt.containerStatus(c.id)).state === 'exited', 'the first instance to see it')
      } finally {
        await again.close()
      }
    })
  })
}
