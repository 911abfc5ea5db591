/**
 * Compaction of the sqlite log: drops rows superseded at or below a revision, and tombstones
 * at or below it, in small transactions with a turn of the event loop between them, so
 * writers wait at most one chunk. Must not change anything a read at or above the compact
 * revision can see, and must not run inside another transaction.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Statements } from './schema.js'

/** Meta row: reads below this revision fail with Compacted. */
export const compactRevisionName = 'compact_revision'
/** Meta row: rows at or below this id have been swept. */
const sweptName = 'compacted_through'

/** Revisions swept per transaction. */
export const defaultChunkRevisions = 500

/** Persists the compact revision (first, so that readers refuse old revisions before rows vanish). */
export function recordCompactRevision(stmts: Statements, revision: number): void {
  stmts.setMeta.run(compactRevisionName, revision)
}

/** The persisted compact revision (0 when never compacted). */
export function readCompactRevision(stmts: Statements): number {
  return stmts.getMeta.get(compactRevisionName) ?? 0
}

/**
 * Sweeps (swept, target] window by window. A row at or below target is superseded when a
 * newer row of its key is also at or below target; that newer row names it in prev_revision,
 * so each window deletes its rows' predecessors, plus its own tombstones. Progress is saved
 * with each window, so an interrupted sweep resumes where it stopped. Resolves false when
 * isClosed() interrupted it.
 */
export async function sweepLog(
  stmts: Statements,
  target: number,
  opts: { chunkRevisions?: number; isClosed: () => boolean },
): Promise<boolean> {
  const chunk = Math.max(1, opts.chunkRevisions ?? defaultChunkRevisions)
  let from = stmts.getMeta.get(sweptName) ?? 0
  while (from < target) {
    if (opts.isClosed()) return false
    const to = Math.min(from + chunk, target)
    sweepWindow(stmts, from, to)
    from = to
    await yieldToLoop()
  }
  return !opts.isClosed()
}

function sweepWindow(stmts: Statements, from: number, to: number): void {
  stmts.begin.run()
  try {
    for (const row of stmts.sweepWindow.all(from, to)) {
      if (row.prev_revision > 0) stmts.deleteRow.run(row.prev_revision)
      if (row.deleted === 1) stmts.deleteRow.run(row.id)
    }
    stmts.setMeta.run(sweptName, to)
    stmts.commit.run()
  } catch (err) {
    try {
      stmts.rollback.run()
    } catch {
      // SQLite already rolled back; the original error is the one to report.
    }
    throw err
  }
}
