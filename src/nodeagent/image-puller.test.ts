/** Image checks: present images, pull errors with back-off (10 s doubling), pull policy Never, events. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Container, Pod } from '../api/pod.js'
import { FakeClock } from '../machinery/clock.js'
import { ImagePuller } from './image-puller.js'
import { type ContainerRuntime, ImagePullError } from './runtime/runtime.js'

const pod: Pod = { metadata: { name: 'p', uid: 'u1' }, spec: { containers: [] } }
const runtime = (known: string[]) =>
  ({
    name: 'fake',
    async ensureImage(image: string) {
      if (!known.includes(image)) throw new ImagePullError(image, `failed to pull and unpack image "${image}": nope`)
      return { image, imageRef: `${image}@sha256:0` }
    },
  }) as unknown as ContainerRuntime

function setup() {
  const clock = new FakeClock(0)
  const events: string[] = []
  const puller = new ImagePuller(clock)
  const check = (c: Partial<Container>, rt = runtime(['nginx'])) =>
    puller.ensure(pod, { name: 'app', ...c } as Container, rt, (t, r, m) => events.push(`${t} ${r} ${m}`))
  return { clock, events, puller, check }
}

describe('ImagePuller', () => {
  it('present images are Pulled; runtimes without ensureImage have every image', async () => {
    const t = setup()
    assert.deepEqual(await t.check({ image: 'nginx' }), { ok: true })
    assert.deepEqual(await t.check({ image: 'x' }, { name: 'sim' } as ContainerRuntime), { ok: true })
    assert.deepEqual(t.events, [
      'Normal Pulled Container image "nginx" already present on machine',
      'Normal Pulled Container image "x" already present on machine',
    ])
  })

  it('a failed pull is ErrImagePull, then ImagePullBackOff until the back-off (10 s, then 20 s) ends', async () => {
    const t = setup()
    const first = await t.check({ image: 'bad' })
    assert.deepEqual(first, {
      ok: false,
      waiting: { reason: 'ErrImagePull', message: 'failed to pull and unpack image "bad": nope' },
      retryAt: 2_000,
    })
    assert.deepEqual(t.events.splice(0), [
      'Warning Failed Failed to pull image "bad": failed to pull and unpack image "bad": nope',
      'Warning Failed Error: ErrImagePull',
    ])
    await t.clock.advance(2_000)
    assert.deepEqual(await t.check({ image: 'bad' }), {
      ok: false,
      waiting: {
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "bad": ErrImagePull: failed to pull and unpack image "bad": nope',
      },
      retryAt: 10_000,
    })
    assert.deepEqual(t.events.splice(0), [
      'Normal BackOff Back-off pulling image "bad"',
      'Warning Failed Error: ImagePullBackOff',
    ])
    await t.clock.advance(8_000)
    assert.equal((await t.check({ image: 'bad' })).ok, false)
    await t.clock.advance(10_000)
    const backoff = await t.check({ image: 'bad' })
    assert.equal(!backoff.ok && backoff.retryAt, 30_000, 'the second back-off is 20 s')
  })

  it('imagePullPolicy Never never pulls', async () => {
    const t = setup()
    const r = await t.check({ image: 'bad', imagePullPolicy: 'Never' })
    assert.deepEqual(r, {
      ok: false,
      waiting: {
        reason: 'ErrImageNeverPull',
        message: 'Container image "bad" is not present with pull policy of Never',
      },
    })
    assert.equal(
      t.events[0],
      'Warning ErrImageNeverPull Container image "bad" is not present with pull policy of Never',
    )
  })

  it('forget drops the pod back-offs', async () => {
    const t = setup()
    await t.check({ image: 'bad' })
    t.puller.forget('u1')
    assert.equal(await t.check({ image: 'bad' }).then(r => !r.ok && r.waiting.reason), 'ErrImagePull')
  })
})
