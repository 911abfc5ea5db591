/**
 * List ordering for strategic merge patch: how patch items and server-only items interleave,
 * following upstream's normalizeElementOrder (the patch or `$setElementOrder` order wins for
 * items the patch names; server-only items keep their live positions relative to them).
 * Pure: returns new arrays and never mutates its inputs.
 */
import { badPatch } from './errors.js'
import { deepEqual, formatGo, isObject } from './json.js'

/** The value an item is identified by: its merge key for maps, itself for scalars. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  return mergeKey !== undefined && isObject(item) ? item[mergeKey] : item
}

/** Position of `item` in `list` by identity, or -1. */
export function indexOfItem(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey)
  return list.findIndex(x => deepEqual(identity(x, mergeKey), id))
}

/** The error upstream gives when a list-of-maps item lacks the declared merge key. */
export function noMergeKey(item: unknown, mergeKey: string) {
  return badPatch(`map: ${formatGo(item)} does not contain declared merge key: ${mergeKey}`)
}

function requireMergeKeys(mergeKey: string | undefined, ...lists: (readonly unknown[])[]): void {
  if (mergeKey === undefined) return
  for (const list of lists)
    for (const item of list) if (!isObject(item) || !Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
}

/** Stable sort of `items` by their position in `order`; items absent from `order` go last. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const rank = (x: unknown) => {
    const i = indexOfItem(order, x, mergeKey)
    return i < 0 ? Number.POSITIVE_INFINITY : i
  }
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r - b.r))
    .map(x => x.item)
}

/**
 * Merges two sorted lists: a server-only item goes before a patch item only when both are in
 * the live list and it came first there; otherwise the patch item goes first.
 */
function interleave(serverOnly: unknown[], patchItems: unknown[], serverOrder: readonly unknown[], mergeKey?: string) {
  const out: unknown[] = []
  let i = 0
  let j = 0
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) out.push(serverOnly[i++])
    else if (i >= serverOnly.length) out.push(patchItems[j++])
    else {
      const li = indexOfItem(serverOrder, serverOnly[i], mergeKey)
      const ri = indexOfItem(serverOrder, patchItems[j], mergeKey)
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++])
      else out.push(patchItems[j++])
    }
  }
  return out
}

/**
 * Orders a merged list: items named in `patchOrder` follow it, the rest follow `serverOrder`,
 * and the two are interleaved as upstream does.
 */
export function orderMergedList(
  merged: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] {
  requireMergeKeys(mergeKey, merged, patchOrder)
  const inPatch: unknown[] = []
  const serverOnly: unknown[] = []
  for (const item of merged) (indexOfItem(patchOrder, item, mergeKey) >= 0 ? inPatch : serverOnly).push(item)
  return interleave(
    sortByOrder(serverOnly, serverOrder, mergeKey),
    sortByOrder(inPatch, patchOrder, mergeKey),
    serverOrder,
    mergeKey,
  )
}

/**
 * Checks that the patch list names its items in the same relative order as `$setElementOrder`
 * and names nothing the order list lacks (deletions excepted), as upstream validates.
 */
export function validateSetElementOrder(patchList: readonly unknown[], order: readonly unknown[], mergeKey?: string) {
  if (!order.length || !patchList.length) return
  const kept = patchList.filter(x => !(mergeKey !== undefined && isObject(x) && x.$patch === 'delete'))
  let p = 0
  let s = 0
  while (p < kept.length && s < order.length) {
    const item = kept[p]
    if (isObject(item) && Object.hasOwn(item, '$patch')) {
      p++
      continue
    }
    if (mergeKey !== undefined) requireMergeKeys(mergeKey, [item, order[s]])
    if (deepEqual(identity(item, mergeKey), identity(order[s], mergeKey))) p++
    s++
  }
  if (p < kept.length)
    throw badPatch(
      `The order in patch list:\n${formatGo(patchList)}\n doesn't match $setElementOrder list:\n${formatGo(order)}\n`,
    )
}
