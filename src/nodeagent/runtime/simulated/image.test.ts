/** Image normalisation and fake digests, as containerd reports them. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { imageRefOf, normalizeImage } from './image.js'

describe('normalizeImage', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis', 'docker.io/bitnami/redis:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost/app:v1', 'localhost/app:v1'],
    ['busybox@sha256:abc', 'docker.io/library/busybox@sha256:abc'],
  ]
  for (const [input, want] of cases) it(input, () => assert.equal(normalizeImage(input), want))
})

describe('imageRefOf', () => {
  it('keeps the repository and adds a stable digest', () => {
    const ref = imageRefOf('docker.io/library/nginx:1.27')
    assert.match(ref, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/)
    assert.equal(ref, imageRefOf('docker.io/library/nginx:1.27'))
    assert.notEqual(ref, imageRefOf('docker.io/library/nginx:1.26'))
  })
  it('keeps digest references as they are', () => {
    assert.equal(imageRefOf('docker.io/library/busybox@sha256:abc'), 'docker.io/library/busybox@sha256:abc')
  })
  it('handles registries with ports', () => {
    assert.match(imageRefOf('localhost:5000/app:latest'), /^localhost:5000\/app@sha256:/)
  })
})
