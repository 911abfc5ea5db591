import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { familiarName, InvalidReference, imageRefOf, normalizeImageName, parseReference } from './reference.js'

const hex = 'a'.repeat(64)

describe('normalizeImageName', () => {
  const table: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.9.1', 'docker.io/library/nginx:1.9.1'],
    ['library/nginx:1.10', 'docker.io/library/nginx:1.10'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest'],
    ['ikubernetes/myapp:v1', 'docker.io/ikubernetes/myapp:v1'],
    ['luksa/kubia-pet', 'docker.io/luksa/kubia-pet:latest'],
    ['tutum/dnsutils', 'docker.io/tutum/dnsutils:latest'],
    ['k8s.gcr.io/test-webserver', 'k8s.gcr.io/test-webserver:latest'],
    ['harbor.hyz.com/library/mynginx:v1', 'harbor.hyz.com/library/mynginx:v1'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0'],
    [`busybox@sha256:${hex}`, `docker.io/library/busybox@sha256:${hex}`],
    [`busybox:1.36@sha256:${hex}`, `docker.io/library/busybox:1.36@sha256:${hex}`],
    ['a_b/c__d/e-f.g:T_1.x-y', 'docker.io/a_b/c__d/e-f.g:T_1.x-y'],
  ]
  for (const [input, want] of table) {
    it(`${input} → ${want}`, () => assert.equal(normalizeImageName(input), want))
  }

  for (const bad of ['', 'Nginx', 'nginx:', 'nginx:-x', ':1', 'nginx@sha256:short', 'a//b', ' nginx', 'nginx/']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseReference(bad), InvalidReference))
  }

  it('says why in containerd words', () => {
    assert.throws(() => parseReference('Nginx'), {
      message: 'couldn\'t parse image name "Nginx": invalid reference format: repository name must be lowercase',
    })
  })

  it('splits repository, tag and digest', () => {
    const r = parseReference('ikubernetes/myapp:v2')
    assert.deepEqual(
      { domain: r.domain, path: r.path, repository: r.repository, tag: r.tag, digest: r.digest },
      {
        domain: 'docker.io',
        path: 'ikubernetes/myapp',
        repository: 'docker.io/ikubernetes/myapp',
        tag: 'v2',
        digest: undefined,
      },
    )
  })
})

describe('imageRefOf and familiarName', () => {
  it('builds the repo digest reference', () => {
    assert.equal(imageRefOf('docker.io/library/nginx:1.9.1', `sha256:${hex}`), `docker.io/library/nginx@sha256:${hex}`)
    assert.equal(imageRefOf('localhost:5000/app', `sha256:${hex}`), `localhost:5000/app@sha256:${hex}`)
  })
  it('shortens docker.io names as docker prints them', () => {
    assert.equal(familiarName('docker.io/library/nginx:1.9.1'), 'nginx:1.9.1')
    assert.equal(familiarName('docker.io/ikubernetes/myapp:v1'), 'ikubernetes/myapp:v1')
    assert.equal(familiarName('quay.io/x/y:1'), 'quay.io/x/y:1')
  })
})
