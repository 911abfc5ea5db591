/**
 * Deep-freezing of cached objects (C8): in development and test builds every object an informer
 * hands out is frozen, so a controller that mutates the cache instead of a structuredClone fails
 * at once with a TypeError. Production skips the walk for speed.
 */

/** Whether cached objects are frozen by default: everywhere except NODE_ENV=production. */
export const freezeByDefault = process.env.NODE_ENV !== 'production'

/** Freezes v and everything reachable from it; returns v. */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const child of Object.values(v)) deepFreeze(child)
  }
  return v
}
