/**
 * Watch responses: a chunked stream of one JSON event per line, headers flushed at once,
 * fed by the watch cache, filtered by namespace and selectors (objects leaving a selector
 * arrive as DELETED, entering as ADDED), with bookmarks and a server-side timeout.
 */
import type { ServerResponse } from 'node:http'
import type { KObject } from '../../api/meta.js'
import { isStatusError, type StatusError } from '../../machinery/status-error.js'
import { type ListFilter, matchesFilter } from '../registry/generic/list-filter.js'
import type { ResourceStore } from '../registry/generic/resource-store.js'
import type { CachedEvent, WatchCache } from '../watch-cache.js'
import type { AcceptInfo } from './negotiate.js'
import { buildTable, partialMetadata } from './table.js'

export interface WatchRequest {
  namespace?: string
  filter: ListFilter
  resourceVersion?: string
  timeoutSeconds?: number
  allowBookmarks: boolean
  sendInitialEvents: boolean
  accept: AcceptInfo
  now: () => number
  signal: AbortSignal
  bookmarkIntervalMs?: number
}

/** Streams a watch until timeout, client disconnect, or a slow consumer. */
export async function serveWatch(
  res: ServerResponse,
  store: ResourceStore,
  cache: WatchCache,
  w: WatchRequest,
): Promise<void> {
  const contentType = w.accept.table
    ? `application/json;as=Table;v=${w.accept.table};g=meta.k8s.io`
    : 'application/json'
  res.writeHead(200, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  })
  res.flushHeaders()
  let headerSent = false
  const encode = (type: string, obj: KObject) => {
    let object: unknown = obj
    if (w.accept.table && type !== 'BOOKMARK' && type !== 'ERROR') {
      object = buildTable(store.strategy, [obj], {
        version: w.accept.table,
        includeObject: 'Metadata',
        noHeaders: headerSent,
        now: w.now(),
      })
      headerSent = true
    } else if (w.accept.partialMetadata && type !== 'BOOKMARK' && type !== 'ERROR')
      object = partialMetadata(obj, w.accept.partialMetadata)
    else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') return sharedLine(type, obj)
    return `${JSON.stringify({ type, object })}\n`
  }
  let closed = false
  let lastSent = 0
  const write = (chunk: string) => {
    if (closed) return
    res.write(chunk)
    if (res.writableLength > 64 * 1024 * 1024) finish()
  }
  const timers: NodeJS.Timeout[] = []
  let sub: { stop(): void } | undefined
  let resolveDone!: () => void
  const done = new Promise<void>(r => (resolveDone = r))
  function finish() {
    if (closed) return
    closed = true
    sub?.stop()
    for (const t of timers) clearTimeout(t)
    res.end()
    resolveDone()
  }
  w.signal.addEventListener('abort', finish, { once: true })
  res.on('close', finish)

  const bookmark = (rv: number) => {
    const apiVersion = store.strategy.group
      ? `${store.strategy.group}/${store.strategy.version}`
      : store.strategy.version
    const obj: KObject = { kind: store.strategy.kind, apiVersion, metadata: { resourceVersion: String(rv) } }
    return obj
  }

  const onEvents = (events: CachedEvent[]) => {
    let out = ''
    for (const ev of events) {
      const line = translate(store, ev, w.filter)
      if (line) out += encode(line.type, line.object)
      lastSent = ev.revision
    }
    if (out) write(out)
  }

  try {
    let from: number
    const rv = w.resourceVersion
    if (!rv || rv === '0' || w.sendInitialEvents) {
      const list = await store.list(w.namespace, {
        labelSelector: w.filter.labelSelector,
        fieldSelector: w.filter.fieldSelector,
      })
      from = Number(list.metadata.resourceVersion)
      let out = ''
      for (const obj of list.items) out += encode('ADDED', obj)
      if (out) write(out)
      if (w.sendInitialEvents && w.allowBookmarks) {
        const b = bookmark(from)
        b.metadata.annotations = { 'k8s.io/initial-events-end': 'true' }
        write(encode('BOOKMARK', b))
      }
    } else {
      from = Number(rv)
      if (!Number.isInteger(from) || from < 0) throw new Error('invalid resourceVersion')
    }
    lastSent = from
    sub = cache.watch(store.prefix(w.namespace), from, onEvents)
  } catch (e) {
    if (isStatusError(e)) write(`${JSON.stringify({ type: 'ERROR', object: (e as StatusError).status })}\n`)
    finish()
    return done
  }
  if (closed) sub?.stop()
  const timeoutMs = (w.timeoutSeconds ?? 1800 + Math.random() * 1800) * 1000
  timers.push(setTimeout(finish, timeoutMs))
  if (w.allowBookmarks) {
    const every = w.bookmarkIntervalMs ?? 10_000
    const tick = () => {
      const rev = Math.max(cache.revision, lastSent)
      if (rev > 0) write(encode('BOOKMARK', bookmark(rev)))
      lastSent = rev
      timers.push(setTimeout(tick, every))
    }
    timers.push(setTimeout(tick, every))
  }
  return done
}

/**
 * Decoded objects per event and store, shared by every watcher of that resource: one JSON.parse
 * per event instead of one per watcher. Watchers only read them.
 */
const decodedCache = new WeakMap<CachedEvent, Map<ResourceStore, { cur?: KObject; prev?: KObject }>>()

function decodeShared(store: ResourceStore, ev: CachedEvent, which: 'cur' | 'prev'): KObject {
  let perStore = decodedCache.get(ev)
  if (!perStore) decodedCache.set(ev, (perStore = new Map()))
  let entry = perStore.get(store)
  if (!entry) perStore.set(store, (entry = {}))
  let obj = entry[which]
  if (!obj) {
    const value = which === 'cur' ? ev.value : ev.prevValue!
    obj = store.decode({ key: ev.key, value, createRevision: 0, modRevision: ev.revision })
    entry[which] = obj
  }
  return obj
}

/** Serialized event lines per object and type, so N watchers cost one JSON.stringify. */
const lineCache = new WeakMap<KObject, Map<string, string>>()

/** The NDJSON line for a plain (non-Table) event, built once per object and type. */
function sharedLine(type: string, object: KObject): string {
  let perType = lineCache.get(object)
  if (!perType) lineCache.set(object, (perType = new Map()))
  let line = perType.get(type)
  if (line === undefined) perType.set(type, (line = `${JSON.stringify({ type, object })}\n`))
  return line
}

/** Maps a cache event to what this watcher sees, or nothing. */
function translate(
  store: ResourceStore,
  ev: CachedEvent,
  filter: ListFilter,
): { type: string; object: KObject } | undefined {
  const decode = (value: string) => decodeShared(store, ev, value === ev.value ? 'cur' : 'prev')
  if (ev.type === 'delete') {
    const obj = decode(ev.value)
    return matchesFilter(store.strategy, obj, filter) ? { type: 'DELETED', object: obj } : undefined
  }
  const cur = decode(ev.value)
  const curOk = matchesFilter(store.strategy, cur, filter)
  if (ev.created || ev.prevValue === undefined) return curOk ? { type: 'ADDED', object: cur } : undefined
  const filtered = filter.labelSelector || filter.fieldSelector
  if (!filtered) return { type: 'MODIFIED', object: cur }
  const prev = decode(ev.prevValue)
  const prevOk = matchesFilter(store.strategy, prev, filter)
  if (curOk && prevOk) return { type: 'MODIFIED', object: cur }
  if (curOk) return { type: 'ADDED', object: cur }
  if (prevOk) return { type: 'DELETED', object: prev }
  return undefined
}
