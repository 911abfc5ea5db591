/**
 * Seed scenario S5 (seed 004) with real pods: ConfigMaps made with `kubectl create cm` (from a
 * directory, a file, literals) consumed as env vars and as a volume, an edit reaching the mounted
 * file but not the env; the Opaque Secret mounted read-only at /etc/secrets and as an env var; an
 * emptyDir shared by two containers; hostPath `type: Directory` (an existing directory, and a
 * missing one failing to mount as the kubelet says); the service-account token used from inside a
 * pod against the API server; and a Deployment → ReplicaSet → Pods, the stateless contrast.
 * The seed's `request:` typo is covered in kubectl-basics.e2e.test.ts.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { manifestsDir, type Petset } from './harness.js'
import {
  eventLines,
  eventually,
  getJson,
  http,
  inPod,
  ok,
  pod,
  podIP,
  realPodsMissing,
  startRealPetset,
} from './real-harness.js'
import { rowsByName, table } from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)
const running = async (p: Petset, name: string) =>
  eventually(async () => {
    const x = await pod(p, name)
    return x.status?.phase === 'Running' && x.status.conditions?.some(c => c.type === 'Ready' && c.status === 'True')
  })

describe('S5 with real pods: volumes, ConfigMaps, Secrets, Deployments (seed 004)', { skip: realPodsMissing() }, () => {
  let p: Petset
  let config = ''
  before(async () => {
    p = await startRealPetset()
    // The seed's /data/config, here under the test's data dir.
    config = join(p.dataDir, 'data', 'config')
    mkdirSync(config, { recursive: true })
    writeFileSync(join(config, 'application.yml'), 'server:\n  port: 8080\n')
    writeFileSync(join(config, 'redis.conf'), 'maxmemory 100mb\n')
    writeFileSync(join(config, 'my.cnf'), '[mysqld]\nport=3306\n')
    writeFileSync(join(config, 'app.env'), 'LOG_LEVEL=debug\nREGION=cn\n')
  })
  after(async () => {
    await p?.stop()
  })

  test('kubectl create cm from a directory, a file, literals and an env file', async () => {
    assert.equal(
      await ok(p, ['create', 'cm', 'my-config-1', `--from-file=${config}`]),
      'configmap/my-config-1 created\n',
    )
    assert.equal(
      await ok(p, ['create', 'cm', 'my-config-2', `--from-file=${join(config, 'application.yml')}`]),
      'configmap/my-config-2 created\n',
    )
    assert.equal(
      await ok(p, ['create', 'cm', 'my-config-3', '--from-literal=key=value1', '--from-literal=key2=value2']),
      'configmap/my-config-3 created\n',
    )
    assert.equal(
      await ok(p, ['create', 'configmap', 'my-config-4', `--from-env-file=${join(config, 'app.env')}`]),
      'configmap/my-config-4 created\n',
    )
    assert.equal(
      await ok(p, ['create', 'cm', 'special-config', '--from-literal=special.how=very']),
      'configmap/special-config created\n',
    )
    const data = async (n: string) => (await getJson<{ data: Record<string, string> }>(p, ['cm', n])).data
    assert.deepEqual(Object.keys(await data('my-config-1')).sort(), [
      'app.env',
      'application.yml',
      'my.cnf',
      'redis.conf',
    ])
    assert.deepEqual(await data('my-config-2'), { 'application.yml': 'server:\n  port: 8080\n' })
    assert.deepEqual(await data('my-config-3'), { key: 'value1', key2: 'value2' })
    assert.deepEqual(await data('my-config-4'), { LOG_LEVEL: 'debug', REGION: 'cn' })
    const rows = rowsByName(await ok(p, ['get', 'cm']))
    assert.deepEqual(
      ['my-config-1', 'my-config-2', 'my-config-3', 'my-config-4', 'special-config'].map(n => rows[n]?.DATA),
      ['4', '1', '2', '2', '1'],
    )
  })

  test('dapi-test-pod: SPECIAL_LEVEL_KEY from configMapKeyRef in the env it prints', async () => {
    assert.equal(await ok(p, ['create', '-f', m('dapi-test-pod.yaml')]), 'pod/dapi-test-pod created\n')
    await eventually(async () => (await pod(p, 'dapi-test-pod')).status?.phase === 'Succeeded')
    const env = (await ok(p, ['logs', 'dapi-test-pod'])).split('\n')
    assert.ok(env.includes('SPECIAL_LEVEL_KEY=very'), env.join('\n'))
    assert.ok(env.includes('HOSTNAME=dapi-test-pod'))
    assert.ok(env.includes('KUBERNETES_SERVICE_HOST=10.96.0.1'))
    assert.deepEqual(rowsByName(await ok(p, ['get', 'pod', 'dapi-test-pod']))['dapi-test-pod']!.STATUS, 'Completed')
  })

  test('cm-volume: my-config-2 mounted at /etc/config, one file per key', async () => {
    assert.equal(await ok(p, ['create', '-f', m('cm-volume-pod.yaml')]), 'pod/cm-volume created\n')
    await running(p, 'cm-volume')
    assert.equal(await inPod(p, 'cm-volume', 'ls', '/etc/config'), 'application.yml\n')
    assert.equal(await inPod(p, 'cm-volume', 'cat', '/etc/config/application.yml'), 'server:\n  port: 8080\n')
  })

  test('secret-test: mysecret at /etc/secrets, decoded and read-only', async () => {
    assert.equal(await ok(p, ['create', '-f', m('secret-mysecret.yaml')]), 'secret/mysecret created\n')
    const rows = rowsByName(await ok(p, ['get', 'secret', 'mysecret']))
    assert.deepEqual([rows.mysecret!.TYPE, rows.mysecret!.DATA], ['Opaque', '2'])
    assert.equal(await ok(p, ['create', '-f', m('secret-test-pod.yaml')]), 'pod/secret-test created\n')
    await running(p, 'secret-test')
    assert.equal(await inPod(p, 'secret-test', 'ls', '/etc/secrets'), 'password\nusername\n')
    assert.equal(await inPod(p, 'secret-test', 'cat', '/etc/secrets/username'), 'admin')
    assert.equal(await inPod(p, 'secret-test', 'cat', '/etc/secrets/password'), 'abcdefgh')
    const w = await p.kubectl(['exec', 'secret-test', '--', 'sh', '-c', 'echo x > /etc/secrets/username'])
    assert.equal(w.code, 2)
    assert.equal(
      w.stderr,
      'sh: 1: cannot create /etc/secrets/username: Read-only file system\ncommand terminated with exit code 2\n',
    )
    assert.equal(await inPod(p, 'secret-test', 'cat', '/etc/secrets/username'), 'admin')
  })

  test('env from configMapKeyRef and secretKeyRef; a ConfigMap edit reaches the file, not the env', async () => {
    assert.equal(await ok(p, ['create', '-f', m('config-env-pod.yaml')]), 'pod/config-env created\n')
    await running(p, 'config-env')
    assert.equal(await inPod(p, 'config-env', 'printenv', 'SPECIAL_LEVEL_KEY', 'SECRET_USERNAME'), 'very\nadmin\n')
    assert.equal(await inPod(p, 'config-env', 'cat', '/etc/config/special.how'), 'very')

    const editor = join(p.dataDir, 'edit-cm.sh')
    writeFileSync(editor, `#!/bin/sh\nsed -i 's/special.how: very$/special.how: extremely/' "$1"\n`, { mode: 0o755 })
    const r = await p.kubectl(['edit', 'cm', 'special-config'], { env: { KUBE_EDITOR: editor } })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'configmap/special-config edited\n')
    await eventually(async () => (await inPod(p, 'config-env', 'cat', '/etc/config/special.how')) === 'extremely')

    // kubectl apply works the same way.
    const applied = await p.kubectl(['apply', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: special-config\ndata:\n  special.how: applied\n  special.type: charm\n',
    })
    assert.equal(applied.code, 0, applied.stderr)
    await eventually(
      async () =>
        (await inPod(p, 'config-env', 'sh', '-c', 'cat /etc/config/special.how; echo; ls /etc/config')) ===
        'applied\nspecial.how\nspecial.type\n',
    )
    assert.equal(await inPod(p, 'config-env', 'printenv', 'SPECIAL_LEVEL_KEY'), 'very\n', 'env vars never change')
  })

  test('emptyDir: a file written by one container is read by the other', async () => {
    assert.equal(await ok(p, ['create', '-f', m('emptydir-pod.yaml')]), 'pod/cache-pod created\n')
    await running(p, 'cache-pod')
    assert.equal(rowsByName(await ok(p, ['get', 'pod', 'cache-pod']))['cache-pod']!.READY, '2/2', 'both containers run')
    const msg = await eventually(async () => inPod(p, 'cache-pod', 'cat', '/cache/msg').catch(() => ''))
    assert.equal(msg, 'written by cache-pod/writer\n')
    assert.equal(await ok(p, ['exec', 'cache-pod', '-c', 'reader', '--', 'cat', '/cache/msg']), msg)
    await ok(p, ['exec', 'cache-pod', '-c', 'reader', '--', 'sh', '-c', 'echo reply > /cache/reply'])
    assert.equal(await ok(p, ['exec', 'cache-pod', '-c', 'writer', '--', 'cat', '/cache/reply']), 'reply\n')
  })

  test('hostPath type Directory: an existing directory is mounted; a missing one fails with FailedMount', async () => {
    const seed = readFileSync(m('hostpath-test-pd.yaml'), 'utf8')
    const dir = join(p.dataDir, 'data', 'host-dir')
    mkdirSync(dir)
    writeFileSync(join(dir, 'hello'), 'from the host\n')
    // k8s.gcr.io/test-webserver is not a built-in image: the working pod runs nginx instead.
    const existing = seed
      .replace('path: /data', `path: ${dir}`)
      .replace('image: k8s.gcr.io/test-webserver', 'image: nginx')
    assert.equal(await ok(p, ['create', '-f', '-'], { input: existing }), 'pod/test-pd created\n')
    await running(p, 'test-pd')
    assert.equal(await inPod(p, 'test-pd', 'cat', '/test-pd/hello'), 'from the host\n')
    await inPod(p, 'test-pd', 'sh', '-c', 'echo from the pod > /test-pd/back')
    assert.equal(readFileSync(join(dir, 'back'), 'utf8'), 'from the pod\n')

    // The seed's pod as written, its /data missing (the path made unique to this run).
    const missing = join(p.dataDir, 'data', 'missing')
    const broken = seed.replace('name: test-pd', 'name: test-pd-missing').replace('path: /data', `path: ${missing}`)
    assert.equal(await ok(p, ['create', '-f', '-'], { input: broken }), 'pod/test-pd-missing created\n')
    const want = `FailedMount: MountVolume.SetUp failed for volume "test-volume" : hostPath type check failed: ${missing} is not a directory`
    await eventually(async () => (await eventLines(p, 'Pod', 'test-pd-missing')).includes(want))
    const row = rowsByName(await ok(p, ['get', 'pod', 'test-pd-missing']))['test-pd-missing']!
    assert.deepEqual([row.READY, row.STATUS], ['0/1', 'ContainerCreating'])
    const described = await ok(p, ['describe', 'pod', 'test-pd-missing'])
    assert.match(
      described,
      new RegExp(
        `Warning\\s+FailedMount\\s+.*kubelet\\s+MountVolume\\.SetUp failed for volume "test-volume" : hostPath type check failed: ${missing} is not a directory`,
      ),
    )
  })

  test('the service-account token at /var/run/secrets/kubernetes.io/serviceaccount works against the API server', async () => {
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount'
    assert.equal(await inPod(p, 'secret-test', 'ls', sa), 'ca.crt\nnamespace\ntoken\n')
    assert.equal(await inPod(p, 'secret-test', 'cat', `${sa}/namespace`), 'default')
    const curl = (token: string) =>
      inPod(
        p,
        'secret-test',
        'sh',
        '-c',
        `curl -sS -w '\\n%{http_code}' --cacert ${sa}/ca.crt -H "Authorization: Bearer ${token}" https://kubernetes.default.svc/api/v1/namespaces/default/pods`,
      )
    const out = await curl(`$(cat ${sa}/token)`)
    const code = out.slice(out.lastIndexOf('\n') + 1)
    assert.equal(code, '200', out)
    const list = JSON.parse(out.slice(0, out.lastIndexOf('\n'))) as {
      kind: string
      items: { metadata: { name: string } }[]
    }
    assert.equal(list.kind, 'PodList')
    assert.ok(list.items.some(x => x.metadata.name === 'secret-test'))
    // The token is what got the request in: a wrong one is refused.
    const refused = await curl('not-a-token')
    assert.equal(refused.slice(refused.lastIndexOf('\n') + 1), '401', refused)
  })

  test('Deployment → ReplicaSet → Pods: kubectl get deploy,rs,pods; a deleted pod is replaced under a new name', async () => {
    assert.equal(
      await ok(p, ['create', 'deployment', 'myapp', '--image=ikubernetes/myapp:v1', '--replicas=2']),
      'deployment.apps/myapp created\n',
    )
    const out = await eventually(async () => {
      const o = await ok(p, ['get', 'deploy,rs,pods', '-l', 'app=myapp'])
      const d = table(o.split('\n\n')[0]!)
      return d[0]?.READY === '2/2' && o.split('\n\n').length === 3 && o
    }, 30_000)
    const [deploy, rs, pods] = out.trim().split('\n\n').map(table)
    assert.deepEqual(
      deploy!.map(r => [r.NAME, r.READY, r['UP-TO-DATE'], r.AVAILABLE]),
      [['deployment.apps/myapp', '2/2', '2', '2']],
    )
    assert.equal(rs!.length, 1)
    const rsName = rs![0]!.NAME!.replace('replicaset.apps/', '')
    assert.match(rsName, /^myapp-[a-z0-9]{8,10}$/)
    assert.deepEqual([rs![0]!.DESIRED, rs![0]!.CURRENT, rs![0]!.READY], ['2', '2', '2'])
    assert.equal(pods!.length, 2)
    for (const r of pods!) {
      assert.match(r.NAME!, new RegExp(`^pod/${rsName}-[a-z0-9]{5}$`))
      assert.deepEqual([r.READY, r.STATUS], ['1/1', 'Running'])
    }
    const first = pods![0]!.NAME!.replace('pod/', '')
    assert.equal(
      (await http(`http://${await podIP(p, first)}/`)).body,
      'Hello MyApp | Version: v1 | <a href="hostname.html">Pod Name</a>\n',
    )
    assert.equal((await http(`http://${await podIP(p, first)}/hostname.html`)).body, `${first}\n`)

    // Cattle, not pets: the replacement has a new random name.
    assert.equal(await ok(p, ['delete', 'pod', first]), `pod "${first}" deleted\n`)
    const names = await eventually(async () => {
      const o = table(await ok(p, ['get', 'pods', '-l', 'app=myapp']))
      return o.length === 2 && o.every(r => r.STATUS === 'Running' && r.READY === '1/1') && o.map(r => r.NAME!)
    })
    assert.ok(!names.includes(first))
    assert.ok(names.every(n => n.startsWith(`${rsName}-`)))
  })
})
