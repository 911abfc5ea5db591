/** Container mounts: binds, readOnly, subPath creation, subPathExpr, and refusals (absolute, .., symlink escapes). */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Container } from '../api/pod.js'
import { containerMounts, resolveSubPath } from './container-mounts.js'

describe('containerMounts', () => {
  let dir: string
  let vol: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'petset-mounts-'))
    vol = join(dir, 'vol')
    await mkdir(vol, { mode: 0o750 })
    await writeFile(join(vol, 'file'), 'x')
    await mkdir(join(dir, 'outside'))
    await symlink(join(dir, 'outside'), join(vol, 'escape'))
    await symlink('../outside', join(vol, 'relative-escape'))
    await symlink('file', join(vol, 'inner-link'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  const mounts = (c: Partial<Container>, env: { name: string; value: string }[] = []) =>
    containerMounts({
      container: { name: 'app', ...c } as Container,
      volumes: new Map([
        ['data', { hostPath: vol }],
        ['cfg', { hostPath: join(dir, 'cfg'), readOnly: true }],
      ]),
      env,
    })

  it('binds each mount, read-only when the mount or the volume says so', async () => {
    assert.deepEqual(
      await mounts({
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'data', mountPath: '/ro', readOnly: true },
          { name: 'cfg', mountPath: '/etc/cfg' },
        ],
      }),
      [
        { containerPath: '/data', hostPath: vol },
        { containerPath: '/ro', hostPath: vol, readOnly: true },
        { containerPath: '/etc/cfg', hostPath: join(dir, 'cfg'), readOnly: true },
      ],
    )
  })

  it('an unknown volume fails', async () => {
    await assert.rejects(mounts({ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }), {
      message: 'cannot find volume "nope" to mount into container "app"',
      code: 'CreateContainerConfigError',
    })
  })

  it('creates a missing subPath with the volume mode; files and inner links resolve', async () => {
    const [m] = await mounts({ volumeMounts: [{ name: 'data', mountPath: '/x', subPath: 'a/b' }] })
    assert.equal(m!.hostPath, join(vol, 'a/b'))
    assert.equal((await stat(join(vol, 'a/b'))).mode & 0o777, 0o750)
    const [f] = await mounts({ volumeMounts: [{ name: 'data', mountPath: '/f', subPath: 'inner-link' }] })
    assert.equal(f!.hostPath, join(vol, 'file'))
  })

  it('subPathExpr expands the env', async () => {
    const [m] = await mounts({ volumeMounts: [{ name: 'data', mountPath: '/x', subPathExpr: '$(POD)' }] }, [
      { name: 'POD', value: 'web-0' },
    ])
    assert.equal(m!.hostPath, join(vol, 'web-0'))
  })

  const refusals: [string, string][] = [
    ['/etc', 'error SubPath `/etc` must not be an absolute path'],
    ['../outside', "unable to provision SubPath `../outside`: must not contain '..'"],
    ['a/../../x', "unable to provision SubPath `a/../../x`: must not contain '..'"],
    ['escape', 'failed to prepare subPath for volumeMount "data" of container "app"'],
    ['relative-escape', 'failed to prepare subPath for volumeMount "data" of container "app"'],
    ['escape/deeper', 'failed to create subPath directory for volumeMount "data" of container "app"'],
  ]
  for (const [subPath, message] of refusals)
    it(`refuses subPath ${subPath}`, async () => {
      await assert.rejects(resolveSubPath({ volumePath: vol, subPath, mountName: 'data', containerName: 'app' }), {
        message,
      })
    })

  it('never creates anything outside the volume', async () => {
    await resolveSubPath({ volumePath: vol, subPath: 'escape/deeper', mountName: 'data', containerName: 'app' }).catch(
      () => {},
    )
    await assert.rejects(stat(join(dir, 'outside/deeper')))
  })
})
