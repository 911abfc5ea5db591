/**
 * The foundation, as a user meets it: the real kubectl (through the version dispatcher, and
 * 1.27 / 1.33 directly) creating, applying, reading, patching, editing, scaling, labelling and
 * deleting the seed manifests against a running `petset up` with no nodes (pods stay Pending).
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  eventually,
  kubectlMissing,
  kubectlPath,
  manifestsDir,
  type Petset,
  startPetset,
  tableRows,
} from './harness.js'

const skip = kubectlMissing()

describe('kubectl against petset: create, get, apply, patch, delete', { skip }, () => {
  let p: Petset
  const m = (f: string) => join(manifestsDir, f)
  before(async () => {
    // No nodes: the StatefulSet's pods stay Pending, so READY columns are deterministic here.
    p = await startPetset(['--nodes', '0'])
  })
  after(async () => {
    await p?.stop()
  })

  test('kubectl version reports a 1.32 server', async () => {
    const r = await p.kubectl(['version', '-o', 'json'])
    assert.equal(r.code, 0, r.stderr)
    const v = JSON.parse(r.stdout)
    assert.equal(v.serverVersion.major, '1')
    assert.equal(v.serverVersion.minor, '32')
    assert.match(v.clientVersion.gitVersion, /^v1\.32\./)
  })

  test('create -f the seed manifest prints what a cluster prints', async () => {
    const r = await p.kubectl(['create', '-f', m('nginx-statefulset.yaml')])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'service/nginx created\nstatefulset.apps/web created\n')
    const again = await p.kubectl(['create', '-f', m('nginx-statefulset.yaml')])
    assert.equal(again.code, 1)
    assert.match(
      again.stderr,
      /Error from server \(AlreadyExists\): error when creating ".*nginx-statefulset.yaml": services "nginx" already exists/,
    )
    assert.match(again.stderr, /statefulsets.apps "web" already exists/)
  })

  test('get svc shows the kubernetes Service and the headless nginx Service', async () => {
    const r = await p.kubectl(['get', 'svc'])
    assert.equal(r.code, 0, r.stderr)
    const rows = tableRows(r.stdout)
    assert.deepEqual(rows[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'])
    assert.deepEqual(rows[1]!.slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP'])
    assert.deepEqual(rows[2]!.slice(0, 5), ['nginx', 'ClusterIP', 'None', '<none>', '80/TCP'])
  })

  test('get sts, -o wide and -o yaml show columns and upstream defaults', async () => {
    const r = await p.kubectl(['get', 'sts'])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(tableRows(r.stdout)[0], ['NAME', 'READY', 'AGE'])
    assert.deepEqual(tableRows(r.stdout)[1]!.slice(0, 2), ['web', '0/2'])
    const wide = await p.kubectl(['get', 'statefulset', '-o', 'wide'])
    assert.deepEqual(tableRows(wide.stdout)[0], ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES'])
    assert.deepEqual(tableRows(wide.stdout)[1]!.slice(3), ['nginx', 'nginx:1.9.1'])
    const json = await p.kubectl(['get', 'sts', 'web', '-o', 'json'])
    const sts = JSON.parse(json.stdout)
    assert.equal(sts.metadata.generation, 1)
    assert.equal(sts.spec.podManagementPolicy, 'OrderedReady')
    assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } })
    assert.equal(sts.spec.revisionHistoryLimit, 10)
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' })
    const c = sts.spec.template.spec.containers[0]
    assert.equal(c.ports[0].protocol, 'TCP')
    assert.equal(c.imagePullPolicy, 'IfNotPresent')
    assert.equal(c.terminationMessagePath, '/dev/termination-log')
    assert.equal(sts.spec.template.spec.restartPolicy, 'Always')
    assert.equal(sts.spec.template.spec.dnsPolicy, 'ClusterFirst')
    assert.match(sts.metadata.uid, /^[0-9a-f-]{36}$/)
  })

  test('get ns lists the system namespaces; -A and --show-labels fill their columns', async () => {
    const ns = await p.kubectl(['get', 'ns'])
    const names = tableRows(ns.stdout)
      .slice(1)
      .map(r => r[0])
    for (const n of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(names.includes(n), n)
    const all = await p.kubectl(['get', 'svc', '-A', '--show-labels'])
    const rows = tableRows(all.stdout)
    assert.equal(rows[0]![0], 'NAMESPACE')
    assert.equal(rows[0]!.at(-1), 'LABELS')
    const nginx = rows.find(r => r[1] === 'nginx')!
    assert.equal(nginx[0], 'default')
    assert.equal(nginx.at(-1), 'app=nginx')
  })

  test('get -w prints the rows of later changes', async () => {
    const watch = p.spawnKubectl(['get', 'cm', '-w'])
    let out = ''
    watch.stdout!.on('data', d => (out += d))
    try {
      await eventually(async () => out.includes('kube-root-ca.crt'))
      await p.kubectl(['create', 'configmap', 'watched', '--from-literal=a=b'])
      const line = await eventually(async () => out.split('\n').find(l => l.startsWith('watched ')))
      assert.match(line, /^watched\s+1\s+\d+s$/)
    } finally {
      watch.kill()
    }
  })

  test('describe sts renders the strategy and the pod template', async () => {
    const r = await p.kubectl(['describe', 'sts', 'web'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Name:\s+web/)
    assert.match(r.stdout, /Update Strategy:\s+RollingUpdate/)
    assert.match(r.stdout, /Partition:\s+0/)
    assert.match(r.stdout, /Image:\s+nginx:1.9.1/)
    assert.match(r.stdout, /Port:\s+80\/TCP/)
  })

  test('patch in the three kubectl types, scale, label and annotate', async () => {
    let r = await p.kubectl(['patch', 'sts', 'web', '-p', '{"spec":{"replicas":3}}'])
    assert.equal(r.stdout, 'statefulset.apps/web patched\n', r.stderr)
    r = await p.kubectl(['patch', 'sts', 'web', '-p', '{"spec":{"replicas":3}}'])
    assert.equal(r.stdout, 'statefulset.apps/web patched (no change)\n', r.stderr)
    r = await p.kubectl([
      'patch',
      'sts',
      'web',
      '--type',
      'merge',
      '-p',
      '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}',
    ])
    assert.equal(r.code, 0, r.stderr)
    r = await p.kubectl([
      'patch',
      'sts',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":4}]',
    ])
    assert.equal(r.code, 0, r.stderr)
    r = await p.kubectl(['scale', 'sts', 'web', '--replicas=5'])
    assert.equal(r.stdout, 'statefulset.apps/web scaled\n', r.stderr)
    r = await p.kubectl(['label', 'sts', 'web', 'tier=db'])
    assert.equal(r.stdout, 'statefulset.apps/web labeled\n', r.stderr)
    r = await p.kubectl(['annotate', 'sts', 'web', 'note=seed'])
    assert.equal(r.stdout, 'statefulset.apps/web annotated\n', r.stderr)
    r = await p.kubectl(['set', 'image', 'sts/web', 'nginx=nginx:1.10'])
    assert.equal(r.stdout, 'statefulset.apps/web image updated\n', r.stderr)
    const sts = JSON.parse((await p.kubectl(['get', 'sts', 'web', '-o', 'json'])).stdout)
    assert.equal(sts.spec.replicas, 5)
    assert.equal(sts.spec.updateStrategy.rollingUpdate.partition, 2)
    assert.equal(sts.metadata.labels.tier, 'db')
    assert.equal(sts.metadata.annotations.note, 'seed')
    assert.equal(sts.spec.template.spec.containers[0].image, 'nginx:1.10')
    assert.equal(sts.metadata.generation, 6)
  })

  test('edit through KUBE_EDITOR changes the object', async () => {
    const editor = join(p.dataDir, 'editor.sh')
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 5/replicas: 1/" "$1"\n', { mode: 0o755 })
    const r = await p.kubectl(['edit', 'sts', 'web'], { env: { KUBE_EDITOR: editor } })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'statefulset.apps/web edited\n')
    const sts = JSON.parse((await p.kubectl(['get', 'sts', 'web', '-o', 'json'])).stdout)
    assert.equal(sts.spec.replicas, 1)
  })

  test('apply -f twice: create, then a three-way patch of the change', async () => {
    assert.equal((await p.kubectl(['create', 'namespace', 'apply-test'])).stdout, 'namespace/apply-test created\n')
    let r = await p.kubectl(['apply', '-n', 'apply-test', '-f', m('nginx-statefulset.yaml')])
    assert.equal(r.stdout, 'service/nginx created\nstatefulset.apps/web created\n', r.stderr)
    r = await p.kubectl(['apply', '-n', 'apply-test', '-f', m('nginx-statefulset-v2.yaml')])
    assert.equal(r.stdout, 'service/nginx unchanged\nstatefulset.apps/web configured\n', r.stderr)
    const sts = JSON.parse((await p.kubectl(['get', '-n', 'apply-test', 'sts', 'web', '-o', 'json'])).stdout)
    assert.equal(sts.spec.replicas, 3)
    assert.equal(sts.spec.template.spec.containers[0].image, 'nginx:1.10')
    assert.equal(sts.metadata.generation, 2)
    assert.ok(sts.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])
    r = await p.kubectl([
      'apply',
      '--server-side',
      '-n',
      'apply-test',
      '-f',
      m('nginx-statefulset-v2.yaml'),
      '--force-conflicts',
    ])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /statefulset.apps\/web serverside-applied/)
  })

  test('create configmap and secrets from every source kubectl has (protobuf bodies on 1.32)', async () => {
    const dir = join(p.dataDir, 'cm')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(dir)
    writeFileSync(join(dir, 'file1.txt'), 'one\n')
    writeFileSync(join(dir, 'file2.txt'), 'two\n')
    writeFileSync(join(p.dataDir, 'app.env'), 'A=1\nB=two\n')
    const cases: [string[], string][] = [
      [['create', 'configmap', 'from-dir', `--from-file=${dir}`], 'configmap/from-dir created\n'],
      [
        [
          'create',
          'configmap',
          'from-keys',
          `--from-file=key1=${join(dir, 'file1.txt')}`,
          `--from-file=key2=${join(dir, 'file2.txt')}`,
        ],
        'configmap/from-keys created\n',
      ],
      [
        ['create', 'configmap', 'from-literal', '--from-literal=key1=config1', '--from-literal=key2=config2'],
        'configmap/from-literal created\n',
      ],
      [['create', 'cm', 'from-env', `--from-env-file=${join(p.dataDir, 'app.env')}`], 'configmap/from-env created\n'],
      [
        ['create', 'secret', 'generic', 'db', '--from-literal=username=admin', '--from-literal=password=s3cr3t'],
        'secret/db created\n',
      ],
      [
        [
          'create',
          'secret',
          'docker-registry',
          'reg',
          '--docker-server=r.example',
          '--docker-username=u',
          '--docker-password=p',
        ],
        'secret/reg created\n',
      ],
    ]
    for (const [args, out] of cases) {
      const r = await p.kubectl(args)
      assert.equal(r.stdout, out, `${args.join(' ')}: ${r.stderr}`)
    }
    const cm = JSON.parse((await p.kubectl(['get', 'cm', 'from-dir', '-o', 'json'])).stdout)
    assert.deepEqual(cm.data, { 'file1.txt': 'one\n', 'file2.txt': 'two\n' })
    const env = JSON.parse((await p.kubectl(['get', 'cm', 'from-env', '-o', 'json'])).stdout)
    assert.deepEqual(env.data, { A: '1', B: 'two' })
    const secret = JSON.parse((await p.kubectl(['get', 'secret', 'db', '-o', 'json'])).stdout)
    assert.equal(secret.type, 'Opaque')
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cr3t')
    const reg = JSON.parse((await p.kubectl(['get', 'secret', 'reg', '-o', 'json'])).stdout)
    assert.equal(reg.type, 'kubernetes.io/dockerconfigjson')
    const list = await p.kubectl(['get', 'cm'])
    const row = tableRows(list.stdout).find(r => r[0] === 'from-keys')!
    assert.equal(row[1], '2')
  })

  test('explain and api-resources come from our OpenAPI and discovery', async () => {
    const r = await p.kubectl(['explain', 'sts.spec.updateStrategy.rollingUpdate.partition'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /GROUP:\s+apps/)
    assert.match(r.stdout, /KIND:\s+StatefulSet/)
    assert.match(r.stdout, /FIELD: partition <integer>/)
    const ar = await p.kubectl(['api-resources'])
    assert.equal(ar.code, 0, ar.stderr)
    const rows = tableRows(ar.stdout)
    assert.deepEqual(rows[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'])
    assert.deepEqual(
      rows.find(x => x[0] === 'statefulsets'),
      ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet'],
    )
    assert.deepEqual(
      rows.find(x => x[0] === 'persistentvolumes'),
      ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume'],
    )
  })

  test('errors have kube-apiserver shapes', async () => {
    let r = await p.kubectl(['create', '-f', m('pv-pvc-typo.yaml')])
    assert.equal(r.code, 1)
    assert.match(
      r.stderr,
      /Error from server \(BadRequest\): error when creating ".*pv-pvc-typo.yaml": PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: strict decoding error: unknown field "spec.resources.request"/,
    )
    r = await p.kubectl(['get', 'pod', 'nope'])
    assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n')
    r = await p.kubectl(['create', 'configmap', 'Bad_Name'])
    assert.match(
      r.stderr,
      /ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    )
    r = await p.kubectl(['patch', 'sts', 'web', '-p', '{"spec":{"serviceName":"other"}}'])
    // kubectl patch renders a 422 as `The <Kind> "<name>" is invalid: <causes>`, as against a real cluster.
    assert.match(
      r.stderr,
      /The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden/,
    )
    r = await p.kubectl([
      'patch',
      'sts',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":-1}]',
    ])
    assert.match(r.stderr, /spec.replicas: Invalid value: -1: must be greater than or equal to 0/)
  })

  test('a stale resourceVersion is a 409 Conflict', async () => {
    const sts = JSON.parse((await p.kubectl(['get', 'sts', 'web', '-o', 'json'])).stdout)
    await p.kubectl(['label', 'sts', 'web', 'bump=1'])
    sts.spec.replicas = 2
    const file = join(p.dataDir, 'stale.json')
    writeFileSync(file, JSON.stringify(sts))
    const r = await p.kubectl(['replace', '-f', file])
    assert.equal(r.code, 1)
    assert.match(
      r.stderr,
      /Operation cannot be fulfilled on statefulsets.apps "web": the object has been modified; please apply your changes to the latest version and try again/,
    )
  })

  test('kubectl 1.27 and 1.33 work directly, and 1.20 where installed', async t => {
    for (const version of ['1.27', '1.33']) {
      if (!kubectlPath(version)) {
        t.diagnostic(`kubectl ${version} not installed: skipped`)
        continue
      }
      const r = await p.kubectl(['get', 'sts', 'web', '-o', 'name'], { version })
      assert.equal(r.stdout, 'statefulset.apps/web\n', `${version}: ${r.stderr}`)
      const c = await p.kubectl(['create', 'configmap', `made-by-${version.replace('.', '-')}`, '--from-literal=a=b'], {
        version,
      })
      assert.equal(c.code, 0, `${version}: ${c.stderr}`)
    }
    if (kubectlPath('1.20')) {
      // Debian's 1.20 uses legacy discovery; it validates against /openapi/v2 (not served), so
      // create and apply need --validate=false (documented in the README).
      const r = await p.kubectl(['get', 'sts'], { version: '1.20' })
      assert.equal(r.code, 0, r.stderr)
      assert.deepEqual(tableRows(r.stdout)[0], ['NAME', 'READY', 'AGE'])
      const c = await p.kubectl(['create', '-n', 'apply-test', '--validate=false', '-f', m('pv-nfs.yaml')], {
        version: '1.20',
      })
      assert.equal(c.stdout, 'persistentvolume/my-pv1 created\npersistentvolume/my-pv2 created\n', c.stderr)
      const cm = await p.kubectl(['create', 'configmap', 'made-by-1-20', '--from-literal=a=b'], { version: '1.20' })
      assert.equal(cm.stdout, 'configmap/made-by-1-20 created\n', cm.stderr)
      const ar = await p.kubectl(['api-resources'], { version: '1.20' })
      assert.match(ar.stdout, /statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet/)
    } else t.diagnostic('Debian kubectl 1.20 (kubernetes-client) not unpacked (needs root and apt): skipped')
  })

  test('delete with each cascade, and force with grace period 0', async () => {
    let r = await p.kubectl(['delete', 'sts', 'web', '-n', 'apply-test', '--cascade=orphan'])
    assert.equal(r.stdout, 'statefulset.apps "web" deleted\n', r.stderr)
    r = await p.kubectl(['delete', 'svc', 'nginx', '-n', 'apply-test', '--cascade=foreground'])
    assert.equal(r.stdout, 'service "nginx" deleted\n', r.stderr)
    r = await p.kubectl(['delete', '-f', m('nginx-statefulset.yaml')])
    assert.equal(r.stdout, 'service "nginx" deleted\nstatefulset.apps "web" deleted\n', r.stderr)
    r = await p.kubectl(['delete', 'cm', 'from-dir', '--force', '--grace-period=0'])
    assert.match(r.stderr, /Immediate deletion does not wait for confirmation/)
    assert.equal(r.stdout, 'configmap "from-dir" force deleted\n')
    r = await p.kubectl(['get', 'sts', '-A'])
    assert.match(r.stderr + r.stdout, /No resources found/)
    // Namespace deletion empties the namespace, then removes it (kubectl waits for that).
    r = await p.kubectl(['delete', 'namespace', 'apply-test'])
    assert.equal(r.stdout, 'namespace "apply-test" deleted\n', r.stderr)
    r = await p.kubectl(['get', 'namespace', 'apply-test'])
    assert.equal(r.stderr, 'Error from server (NotFound): namespaces "apply-test" not found\n')
  })
})
