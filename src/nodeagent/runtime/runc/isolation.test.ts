/**
 * What runc containers see: the pod hostname, the generated /etc/hosts and /etc/resolv.conf,
 * volumes (a write lands on the host), ConfigMap/Secret-like mounts under the read-only host
 * /etc, the user, cgroup limits and OOM kills, and layered images on overlayfs. Needs root and
 * runc; skips with a message otherwise.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { logText, parseCriLog } from '../process/cri-log.js'
import { hostImage, StaticImageStore } from '../process/static-images.js'
import { collectStreams, until } from '../process/testing.js'
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js'
import { removeNodeCgroups } from './cgroups.js'
import { RuncRuntime } from './runtime.js'
import { container, runcUnavailable } from './testing.js'

const run = promisify(execFile)

/** A two-layer image: busybox with its libraries, then a file and a whiteout over the first layer. */
async function buildLayers(dir: string): Promise<string[]> {
  const [l1, l2] = [join(dir, 'l1'), join(dir, 'l2')]
  const bb = '/usr/bin/busybox'
  const libs = (await run('ldd', [bb])).stdout.match(/\/\S+/g) ?? []
  for (const f of [bb, ...libs]) {
    await mkdir(dirname(join(l1, f)), { recursive: true })
    await copyFile(f, join(l1, f))
  }
  await mkdir(join(l1, 'bin'), { recursive: true })
  for (const applet of ['sh', 'cat', 'id', 'hostname']) await symlink(bb, join(l1, 'bin', applet))
  await mkdir(join(l1, 'etc'), { recursive: true })
  await writeFile(join(l1, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n')
  await writeFile(join(l1, 'etc/group'), 'root:x:0:\napp:x:1000:\n')
  await writeFile(join(l1, 'removed'), 'lower\n')
  await mkdir(l2, { recursive: true })
  await writeFile(join(l2, 'hello.txt'), 'from the top layer\n')
  await run('mknod', [join(l2, 'removed'), 'c', '0', '0'])
  return [l1, l2]
}

if (runcUnavailable) it('runc isolation', t => t.skip(runcUnavailable))
else
  describe('RuncRuntime isolation', () => {
    let root: string
    let rt: RuncRuntime
    let n = 0
    const node = 'iso'
    const images = new StaticImageStore([
      hostImage('docker.io/library/debian:host', { cmd: ['sh'] }),
      hostImage('docker.io/library/layered:1', { cmd: ['sh'], user: 'app' }, { kind: 'layers', layers: [] } as never),
    ])
    const sandbox = (extra: Partial<PodSandboxConfig> = {}) => {
      n++
      return rt.runPodSandbox({ uid: `iso-${n}`, namespace: 'default', name: `pod-${n}`, ...extra })
    }
    const runToExit = async (sbId: string, config: ContainerConfig) => {
      const c = await rt.startContainer(sbId, config)
      const s = await until(async () => {
        const s = await rt.containerStatus(c.id)
        return s.state === 'exited' ? s : undefined
      }, `${config.name} to exit`)
      const entries = parseCriLog(await readFile(rt.logPath(c.id)!, 'utf8'))
      // stdout and stderr are separate pipes: their relative order in the log is not defined.
      return { ...s, out: logText(entries, 'stdout'), err: logText(entries, 'stderr') }
    }
    const execOut = async (id: string, cmd: string[]) => {
      const s = collectStreams()
      const code = await rt.exec(id, cmd, s.streams)
      return { code, out: s.out() }
    }

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'petset-runc-iso-'))
      const layers = await buildLayers(join(root, 'image'))
      const layered = await images.resolve('docker.io/library/layered:1')
      ;(images as unknown as { images: Map<string, unknown> }).images.set(layered.name, {
        ...layered,
        rootfs: { kind: 'layers', layers },
      })
      rt = new RuncRuntime({ rootDir: root, images, nodeName: node, pollMs: 50 })
      await rt.updateRuntimeConfig({ podCIDR: '10.244.9.0/24' })
    })
    after(async () => {
      for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id)
      await rt.close()
      await removeNodeCgroups(node)
      await rm(root, { recursive: true, force: true })
    })

    it('has the pod hostname and the generated /etc/hosts, /etc/hostname and /etc/resolv.conf', async () => {
      const sb = await sandbox({
        name: 'web-0',
        hostname: 'web-0',
        subdomain: 'nginx',
        hostsEntries: [{ ip: '1.2.3.4', hostnames: ['foo', 'bar'] }],
        dnsConfig: { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
      })
      const c = await rt.startContainer(sb.id, container('app', ['sleep', '60']))
      assert.deepEqual(await execOut(c.id, ['hostname']), { code: 0, out: 'web-0\n' })
      const hosts = (await execOut(c.id, ['cat', '/etc/hosts'])).out
      assert.ok(hosts.includes(`${sb.ip}\tweb-0.nginx.default.svc.cluster.local\tweb-0\n`), hosts)
      assert.ok(hosts.includes('127.0.0.1\tlocalhost\n') && hosts.includes('1.2.3.4\tfoo\tbar\n'), hosts)
      assert.equal((await execOut(c.id, ['cat', '/etc/hostname'])).out, 'web-0\n')
      assert.equal(
        (await execOut(c.id, ['cat', '/etc/resolv.conf'])).out,
        'search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
      )
    })

    it('binds volumes: what the container writes is on the host', async () => {
      const sb = await sandbox()
      const data = join(root, 'pv')
      await mkdir(data, { recursive: true })
      const mounts = [{ containerPath: '/var/data', hostPath: data }]
      const s = await runToExit(sb.id, container('w', ['sh', '-c', 'echo kept > /var/data/file'], { mounts }))
      assert.equal(s.exitCode, 0, s.out + s.err)
      assert.equal(await readFile(join(data, 'file'), 'utf8'), 'kept\n')
    })

    it('mounts ConfigMap- and Secret-like directories under /etc; the host /etc is untouched', async () => {
      const sb = await sandbox()
      const [cm, secret] = [join(root, 'cm'), join(root, 'secret')]
      await mkdir(cm, { recursive: true })
      await mkdir(secret, { recursive: true })
      await writeFile(join(cm, 'app.conf'), 'color=blue\n')
      await writeFile(join(secret, 'password'), 's3cret\n')
      const mounts = [
        { containerPath: '/etc/config', hostPath: cm, readOnly: true },
        { containerPath: '/etc/secrets', hostPath: secret, readOnly: true },
      ]
      const script = 'cat /etc/config/app.conf /etc/secrets/password; echo x > /etc/petset-probe; touch /etc/config/x'
      const s = await runToExit(sb.id, container('cm', ['sh', '-c', script], { mounts }))
      assert.equal(s.out, 'color=blue\ns3cret\n')
      assert.match(s.err, /Read-only file system/)
      assert.notEqual(s.exitCode, 0)
      assert.equal(existsSync('/etc/petset-probe'), false, 'writes to /etc stay in the container')
    })

    it('runs as the configured user', async () => {
      const sb = await sandbox()
      const s = await runToExit(
        sb.id,
        container('u', ['sh', '-c', 'id -u; id -g'], { user: { uid: 65534, gid: 65534 } }),
      )
      assert.equal(s.out, '65534\n65534\n')
    })

    it('sets memory, pids and CPU limits in the container cgroup, and reports OOM kills', async () => {
      const sb = await sandbox()
      const resources = { memoryLimitBytes: 64 * 1024 * 1024, pidsLimit: 64, cpuQuotaMilli: 500 }
      await rt.startContainer(sb.id, container('limited', ['sleep', '60'], { resources }))
      const cg = (ctl: string, file: string) =>
        readFile(join('/sys/fs/cgroup', ctl, 'petset', node, `iso-${n}`, 'limited-0', file), 'utf8').then(s => s.trim())
      assert.equal(await cg('memory', 'memory.limit_in_bytes'), String(64 * 1024 * 1024))
      assert.equal(await cg('pids', 'pids.max'), '64')
      assert.equal(await cg('cpu', 'cpu.cfs_quota_us'), '50000')
      const oom = await runToExit(
        sb.id,
        container('hog', ['tail', '/dev/zero'], { resources: { memoryLimitBytes: 32 * 1024 * 1024 } }),
      )
      assert.deepEqual([oom.exitCode, oom.reason], [137, 'OOMKilled'])
    })

    it('runs layered images on overlayfs (whiteouts honoured, image user resolved in the image)', async () => {
      const sb = await sandbox()
      const script = 'cat /hello.txt; cat /removed 2>/dev/null || echo removed is gone; id -u; hostname'
      const s = await runToExit(sb.id, {
        name: 'layered',
        image: 'docker.io/library/layered:1',
        command: ['/bin/sh', '-c', script],
        attempt: 0,
      })
      assert.equal(s.exitCode, 0, s.out + s.err)
      assert.equal(s.out, `from the top layer\nremoved is gone\n1000\npod-${n}\n`)
    })
  })
