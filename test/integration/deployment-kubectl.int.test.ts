/**
 * The real kubectl against the Deployment and ReplicaSet controllers: `rollout history` reads the
 * ReplicaSets' revision and change-cause annotations, `rollout undo` (client-side for apps/v1)
 * patches the old template back, `rollout status` reads the Deployment's status. Skipped when
 * /usr/bin/kubectl is missing.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { writeKubeconfig } from '../../src/cli/kubeconfig.js'
import { type Harness, rollOut, startHarness, until, views } from './deployment-harness.js'

const kubectlPath = '/usr/bin/kubectl'
const skip = !existsSync(kubectlPath) && 'kubectl is not installed'
const ns = 'kubectl-rollout'
let h: Harness
let home: string

before(async () => {
  if (skip) return
  h = await startHarness(ns)
  home = mkdtempSync(join(tmpdir(), 'petset-kubectl-'))
  writeKubeconfig(join(home, '.kube', 'config'), { server: h.server.url, token: h.server.token, ca: h.server.ca })
})
after(async () => {
  if (skip) return
  await h.stop()
  rmSync(home, { recursive: true, force: true })
})

async function kubectl(...args: string[]): Promise<string> {
  const env = { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: join(home, '.kube', 'config') }
  const { stdout } = await promisify(execFile)(kubectlPath, [...args, '-n', ns], { env, timeout: 30_000 })
  return stdout
}

/** The table rows of `rollout history` as [revision, change-cause]. */
const historyRows = (out: string) =>
  out
    .split('\n')
    .filter(l => /^\d+\s/.test(l))
    .map(l => l.trim().split(/\s{2,}/))

test('kubectl rollout history, undo and status', { skip }, async () => {
  assert.match(
    await kubectl('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2'),
    /deployment.apps\/web created/,
  )
  await rollOut(h, 'web')
  await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.26')
  await kubectl('annotate', 'deployment/web', 'kubernetes.io/change-cause=image 1.26')
  await rollOut(h, 'web')
  // The annotation reaches the new ReplicaSet on the next sync.
  const v = views(h)
  await until(
    async () =>
      (await v.replicaSets('app=web')).some(
        rs => rs.metadata.annotations?.['kubernetes.io/change-cause'] === 'image 1.26',
      ),
    'change-cause on the new ReplicaSet',
  )

  const history = await kubectl('rollout', 'history', 'deployment/web')
  assert.match(history, /REVISION\s+CHANGE-CAUSE/)
  assert.deepEqual(historyRows(history), [
    ['1', '<none>'],
    ['2', 'image 1.26'],
  ])
  assert.match(await kubectl('rollout', 'history', 'deployment/web', '--revision=1'), /Image:\s+nginx:1\.25/)

  assert.match(await kubectl('rollout', 'undo', 'deployment/web'), /deployment.apps\/web rolled back/)
  const d = await rollOut(h, 'web')
  assert.equal(d.spec.template.spec.containers[0]!.image, 'nginx:1.25')
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3')
  assert.deepEqual(historyRows(await kubectl('rollout', 'history', 'deployment/web')), [
    ['2', 'image 1.26'],
    ['3', '<none>'],
  ])
  assert.equal((await v.replicaSets('app=web')).length, 2, 'undo reused the first ReplicaSet')
  assert.match(
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s'),
    /deployment "web" successfully rolled out/,
  )
})
