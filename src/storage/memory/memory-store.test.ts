/** Runs the Store contract against the in-memory backend. */
import { runStoreContract } from '../store.contract.js'
import { MemoryStore } from './memory-store.js'

runStoreContract('memory', async () => new MemoryStore({ compactIntervalMs: 0 }))
