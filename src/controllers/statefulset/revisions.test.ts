/**
 * Revisions: canonical JSON as Go writes it, the FNV-1 hash and its safe encoding, the
 * `$patch: replace` data kubectl rollout undo sends back, update-revision selection (latest,
 * renumbered rollback, new) and history truncation (statefulset.md §4).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ControllerRevision } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { newStatefulSet } from './fixtures.js'
import {
  applyRevision,
  canonicalJSON,
  decideUpdateRevision,
  fnv1_32,
  getPatch,
  hashRevisionData,
  newRevision,
  RevisionHashLabel,
  revisionsToTruncate,
  safeEncodeString,
  sortRevisions,
} from './revisions.js'

const bytes = (s: string) => Buffer.from(s, 'utf8')

describe('canonical JSON and hashing', () => {
  test('keys are sorted at every level and HTML characters escaped, as Go encodes a map', () => {
    assert.equal(
      canonicalJSON({ b: 1, a: { d: [true, null], c: 'x<y>&z' } }),
      '{"a":{"c":"x\\u003cy\\u003e\\u0026z","d":[true,null]},"b":1}',
    )
    assert.equal(canonicalJSON({ $patch: 'replace', a: 1 }), '{"$patch":"replace","a":1}')
    assert.equal(canonicalJSON({ gone: undefined, s: 'line\u2028' }), '{"s":"line\\u2028"}')
  })

  const fnv: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0x050c5d7e],
    ['foobar', 0x31f0b262],
  ]
  for (const [input, want] of fnv)
    test(`FNV-1 32 of "${input}" is 0x${want.toString(16)}`, () => assert.equal(fnv1_32(bytes(input)), want))

  test('safe encoding maps digits into bcdfghjklmnpqrstvwxz2456789 (1234567890 → 56789bcdf4)', () => {
    assert.equal(safeEncodeString('1234567890'), '56789bcdf4')
  })

  test('the hash is stable, depends on the collision count, and uses only 4-9 b c d f', () => {
    const data = getPatch(newStatefulSet())
    assert.equal(hashRevisionData(data, 0), hashRevisionData(data, 0))
    assert.notEqual(hashRevisionData(data, 0), hashRevisionData(data, 1))
    assert.match(hashRevisionData(data, 0), /^[4-9bcdf]{1,10}$/)
    assert.equal(hashRevisionData(data, 0), safeEncodeString(String(fnv1_32(bytes('0'), fnv1_32(bytes(data))))))
  })
})

describe('revision objects', () => {
  test('data is the template under spec.template with "$patch":"replace", as upstream getPatch writes it', () => {
    const set = newStatefulSet()
    const data = getPatch(set)
    assert.ok(
      data.startsWith(
        '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.9.1",',
      ),
    )
    const { $patch, ...template } = JSON.parse(data).spec.template
    assert.equal($patch, 'replace')
    assert.deepEqual(template, JSON.parse(JSON.stringify(set.spec.template)))
  })

  test('a new revision is named <set>-<hash>, labelled with template labels and the hash, owned by the set', () => {
    const set = newStatefulSet()
    set.metadata.annotations = { 'kubernetes.io/change-cause': 'kubectl set image' }
    const rev = newRevision(set, 4, 0)
    const hash = hashRevisionData(getPatch(set), 0)
    assert.equal(rev.metadata.name, `web-${hash}`)
    assert.deepEqual(rev.metadata.labels, { app: 'web', [RevisionHashLabel]: hash })
    assert.deepEqual(rev.metadata.annotations, set.metadata.annotations, 'change-cause shows in rollout history')
    assert.equal(rev.metadata.ownerReferences![0]!.uid, 'web-uid')
    assert.equal(rev.revision, 4)
  })

  test('applying a revision restores its template (what rollout undo sends)', () => {
    const set = newStatefulSet()
    const old = newRevision(set, 1, 0)
    const changed = structuredClone(set)
    changed.spec.template.spec.containers[0]!.image = 'nginx:1.10'
    assert.deepEqual(applyRevision(changed, old).spec.template, set.spec.template)
  })
})

describe('update revision selection', () => {
  const set = newStatefulSet()
  const other = structuredClone(set)
  other.spec.template.spec.containers[0]!.image = 'nginx:1.10'

  test('a new template creates revision max+1', () => {
    const d = decideUpdateRevision(set, [newRevision(other, 1, 0)], 0)
    assert.equal(d.kind, 'create')
    assert.equal(d.revision.revision, 2)
  })

  test('the template of the latest revision reuses it', () => {
    const latest = newRevision(set, 2, 0)
    const d = decideUpdateRevision(set, [newRevision(other, 1, 0), latest], 0)
    assert.deepEqual(d, { kind: 'latest', revision: latest })
  })

  test('the template of an older revision (a rollback) renumbers it to max+1', () => {
    const older = newRevision(set, 1, 0)
    const d = decideUpdateRevision(set, [older, newRevision(other, 2, 0)], 0)
    assert.deepEqual(d, { kind: 'renumber', revision: older, to: 3 })
  })

  test('data stored as an object compares equal to freshly encoded data', () => {
    const stored: ControllerRevision = {
      ...newRevision(set, 1, 0),
      data: JSON.parse(JSON.stringify(JSON.parse(getPatch(set)))),
    }
    assert.equal(decideUpdateRevision(set, [stored], 0).kind, 'latest')
  })

  test('revisions sort by number, then creation time, then name', () => {
    const r = (name: string, revision: number, t: string): ControllerRevision => ({
      metadata: { name, creationTimestamp: t },
      revision,
    })
    const sorted = sortRevisions([r('c', 2, 't1'), r('b', 1, 't2'), r('a', 1, 't2'), r('d', 1, 't1')])
    assert.deepEqual(
      sorted.map(x => x.metadata.name),
      ['d', 'a', 'b', 'c'],
    )
  })
})

describe('history truncation', () => {
  const rev = (n: number): ControllerRevision => ({ metadata: { name: `web-r${n}` }, revision: n })
  const podAt = (n: number): Pod => ({
    metadata: { name: 'web-0', labels: { 'controller-revision-hash': `web-r${n}` } },
    spec: { containers: [] },
  })
  const sorted = [1, 2, 3, 4, 5, 6].map(rev)
  const cases: { name: string; limit: number; pods: Pod[]; live: number[]; want: number[] }[] = [
    { name: 'within the limit nothing goes', limit: 10, pods: [], live: [6], want: [] },
    { name: 'the oldest non-live revisions go first', limit: 2, pods: [], live: [6], want: [1, 2, 3] },
    { name: 'revisions used by pods are live', limit: 1, pods: [podAt(1)], live: [5, 6], want: [2, 3] },
    { name: 'limit 0 deletes every non-live revision', limit: 0, pods: [], live: [6], want: [1, 2, 3, 4, 5] },
    { name: 'a negative limit keeps everything', limit: -1, pods: [], live: [6], want: [] },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const set = newStatefulSet('web', 1, { revisionHistoryLimit: c.limit })
      const got = revisionsToTruncate(set, c.pods, sorted, c.live.map(rev))
      assert.deepEqual(
        got.map(r => r.revision),
        c.want,
      )
    })
  }
})
