/**
 * When cached objects are frozen (C8): in development and test builds every object an informer
 * hands out is deep-frozen, so a controller that mutates the cache instead of a structuredClone
 * fails at once with a TypeError. Production skips the walk for speed.
 */

/** Whether cached objects are frozen by default: everywhere except NODE_ENV=production. */
export const freezeByDefault = process.env.NODE_ENV !== 'production'

/** Freezes an object graph in place (machinery's helper, re-exported for the informer). */
export { deepFreeze } from '../machinery/objects.js'
