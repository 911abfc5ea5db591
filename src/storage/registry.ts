/**
 * Maps a store URL to a backend, as kine's driver registry does: `memory:` and
 * `sqlite:<path>` today; `etcd:` is reserved for a backend that will join through the same
 * Store contract. Must not hold state: it only constructs.
 */
import type { AutoCompactOptions } from './auto-compact.js'
import { UnsupportedSchemeError } from './errors.js'
import { MemoryStore } from './memory/memory-store.js'
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

/** Options every backend understands, plus the ones a backend ignores when they do not apply. */
export type OpenStoreOptions = AutoCompactOptions & SqliteStoreOptions

/**
 * Opens the store a URL names.
 * @example openStore('sqlite:/var/lib/petset/state.db')  // also sqlite:///abs/path and sqlite:relative.db
 * @example openStore('memory:')
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const colon = url.indexOf(':')
  const scheme = colon > 0 ? url.slice(0, colon) : ''
  const rest = url.slice(colon + 1)
  switch (scheme) {
    case 'memory':
      return new MemoryStore(opts)
    case 'sqlite': {
      const path = rest.startsWith('//') ? rest.slice(2) : rest
      if (path === '') throw new UnsupportedSchemeError(url, 'sqlite: needs a file path, e.g. sqlite:/data/state.db')
      return openSqliteStore(path, opts)
    }
    case 'etcd':
    case 'etcds':
      throw new UnsupportedSchemeError(url, 'the etcd backend is not implemented yet; use sqlite:<path> or memory:')
    default:
      throw new UnsupportedSchemeError(url, 'expected memory: or sqlite:<path>')
  }
}
