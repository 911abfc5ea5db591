/**
 * The process runtime: the shared ContainerRuntime contract, plus what it promises on its own:
 * environment and HOSTNAME, CRI logs, loopback pod addresses, exec and attach, container paths
 * translated to volume directories, and re-adoption of running containers by a new instance.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { runRuntimeContract } from '../runtime.contract.js'
import type { ContainerConfig, ContainerRuntime } from '../runtime.js'
import { logText, parseCriLog } from './cri-log.js'
import { ProcessRuntime } from './runtime.js'
import { hostImage, StaticImageStore } from './static-images.js'
import { collectStreams, until } from './testing.js'

const images = new StaticImageStore([
  hostImage('docker.io/library/busybox:latest', { cmd: ['sh'] }),
  hostImage('docker.io/library/loaded:1', {}, { kind: 'layers', layers: [] } as never),
])
const image = 'docker.io/library/busybox:latest'
const container = (name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  name,
  image,
  command,
  attempt: 0,
  ...extra,
})

let contractRoot = ''
runRuntimeContract('process', async () => {
  contractRoot = await mkdtemp(join(tmpdir(), 'petset-process-'))
  return {
    runtime: new ProcessRuntime({ rootDir: contractRoot, images, pollMs: 50 }),
    podCIDR: '10.244.1.0/24',
    sandboxIPs: 'mapped',
    longRunning: name => container(name, ['sleep', '60']),
    exiting: (name, code) => container(name, ['sh', '-c', `exit ${code}`]),
    cleanup: () => rm(contractRoot, { recursive: true, force: true }),
  }
})

describe('ProcessRuntime', () => {
  let root: string
  let rt: ProcessRuntime
  const sandbox = (uid: string) => ({ uid, namespace: 'default', name: `pod-${uid}`, hostname: `host-${uid}` })
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'petset-process-'))
    rt = new ProcessRuntime({ rootDir: root, images, pollMs: 50 })
    await rt.updateRuntimeConfig({ podCIDR: '10.244.7.0/24' })
  })
  after(async () => {
    for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id)
    await rt.close()
    await rm(root, { recursive: true, force: true })
  })

  const logOf = async (r: ContainerRuntime, id: string) => parseCriLog(await readFile(r.logPath!(id)!, 'utf8'))

  it('maps the podCIDR into 127/8, sets HOSTNAME and env, and writes CRI logs', async () => {
    const sb = await rt.runPodSandbox(sandbox('a'))
    assert.equal(sb.ip, '127.244.7.2')
    const c = await rt.startContainer(
      sb.id,
      container('app', ['sh', '-c', 'echo "$HOSTNAME $GREETING"; echo oops >&2'], {
        env: [{ name: 'GREETING', value: 'hi' }],
      }),
    )
    await until(async () => (await rt.containerStatus(c.id)).state === 'exited', 'exit')
    const entries = await logOf(rt, c.id)
    assert.equal(logText(entries, 'stdout'), 'host-a hi\n')
    assert.equal(logText(entries, 'stderr'), 'oops\n')
    assert.match(entries[0]!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
  })

  it('dials the pod at its loopback address', async () => {
    const sb = await rt.runPodSandbox(sandbox('b'))
    const script = `require('net').createServer(s => s.end('pong')).listen(18089, process.env.POD_IP)`
    await rt.startContainer(
      sb.id,
      container('srv', [process.execPath, '-e', script], { env: [{ name: 'POD_IP', value: sb.ip! }] }),
    )
    const reply = await until(async () => {
      const sock = await rt.dial(sb.id, 18089).catch(() => undefined)
      if (!sock) return undefined
      const chunks: Buffer[] = []
      for await (const d of sock) chunks.push(d as Buffer)
      return Buffer.concat(chunks).toString()
    }, 'the server to listen')
    assert.equal(reply, 'pong')
  })

  it('exec returns output and exit code, with and without a TTY', async () => {
    const sb = await rt.runPodSandbox(sandbox('c'))
    const c = await rt.startContainer(sb.id, container('app', ['sleep', '60'], { env: [{ name: 'X', value: '1' }] }))
    const plain = collectStreams()
    assert.equal(await rt.exec(c.id, ['sh', '-c', 'echo out $X; echo err >&2; exit 7'], plain.streams), 7)
    assert.deepEqual([plain.out(), plain.err()], ['out 1\n', 'err\n'])
    const tty = collectStreams({ tty: true })
    assert.equal(await rt.exec(c.id, ['sh', '-c', 'tty; stty size'], tty.streams), 0)
    assert.match(tty.out(), /^\/dev\/pts\/\d+\r\n30 100\r\n$/)
  })

  it('attach feeds stdin once and reports the exit code', async () => {
    const sb = await rt.runPodSandbox(sandbox('d'))
    const c = await rt.startContainer(
      sb.id,
      container('cat', ['sh', '-c', 'cat; exit 4'], { stdin: true, stdinOnce: true }),
    )
    const stdin = new PassThrough()
    const s = collectStreams({ stdin })
    const done = rt.attach!(c.id, s.streams)
    stdin.end('hello\n')
    assert.equal(await done, 4)
    assert.equal(s.out(), 'hello\n')
  })

  it('the first stdin session of a stdinOnce container gets what it wrote before (kubectl run -i)', async () => {
    const sb = await rt.runPodSandbox(sandbox('early'))
    const c = await rt.startContainer(
      sb.id,
      container('dig', ['sh', '-c', 'echo before; echo warn >&2; read x; echo "got $x"'], {
        stdin: true,
        stdinOnce: true,
      }),
    )
    // The container has written before anyone attached.
    await until(async () => logText(await logOf(rt, c.id), 'stdout') === 'before\n', 'the first line')
    const stdin = new PassThrough()
    const s = collectStreams({ stdin })
    const done = rt.attach!(c.id, s.streams)
    stdin.end('hi\n')
    assert.equal(await done, 0)
    assert.deepEqual([s.out(), s.err()], ['before\ngot hi\n', 'warn\n'])
  })

  it('a TTY container: attach types into its shell, gets the terminal size, sees the exit', async () => {
    const sb = await rt.runPodSandbox(sandbox('tty'))
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

  it('translates container paths of mounts into their host directories', async () => {
    const sb = await rt.runPodSandbox(sandbox('e'))
    const data = join(root, 'vol')
    await mkdir(data, { recursive: true })
    const c = await rt.startContainer(
      sb.id,
      container('w', ['sh', '-c', 'echo saved > "$DATA_DIR/file"; cat /var/data/file'], {
        env: [{ name: 'DATA_DIR', value: '/var/data' }],
        mounts: [{ containerPath: '/var/data', hostPath: data }],
      }),
    )
    await until(async () => (await rt.containerStatus(c.id)).state === 'exited', 'exit')
    assert.equal(await readFile(join(data, 'file'), 'utf8'), 'saved\n')
  })

  it('refuses layered images with a clear message', async () => {
    await assert.rejects(rt.ensureImage!('docker.io/library/loaded:1'), /process runtime runs only host images/)
  })

  it('a new instance on the same rootDir re-adopts running containers and sees them exit', async () => {
    const sb = await rt.runPodSandbox(sandbox('f'))
    const c = await rt.startContainer(sb.id, container('app', ['sleep', '60']))
    const again = new ProcessRuntime({ rootDir: root, images, pollMs: 50 })
    try {
      const [adopted] = await again.listContainers({ sandboxId: sb.id })
      assert.deepEqual([adopted?.id, adopted?.state], [c.id, 'running'])
      assert.equal((await again.podSandboxStatus(sb.id)).ip, sb.ip)
      await rt.stopContainer(c.id, { graceSeconds: 1 })
      await until(async () => (await again.containerStatus(c.id)).state === 'exited', 'the adopted exit')
      assert.equal((await again.containerStatus(c.id)).exitCode, 143)
    } finally {
      await again.close()
    }
  })
})
