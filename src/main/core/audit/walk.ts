// A walk over the whole audit chain in this thread, streaming in constant
// memory, on any connection (the live directory, or a backup being checked):
// no context needed, so a restore's check can use it too.
import type { Database } from '../../db/connection'
import { auditIndexesMissingRows, firstAuditEntryId, iterateAuditChain, lastAuditEntry } from '../../db/audit-repo'
import { CHAIN_START, walkChain, type ChainKeying, type ChainWalk } from './chain'

/** The number of entries: ids run from 1 without gaps, so the last id is the count (a missing one breaks the chain). */
export function auditEntryCount(db: Database): number {
  return lastAuditEntry(db)?.id ?? 0
}

/**
 * An entry below id 1, which the app never writes: a walk from id 1 on would not see it, and
 * a page of the log would show it. Null when there is none.
 */
export function strayEntry(db: Database): { at: number; reason: string } | null {
  const first = firstAuditEntryId(db)
  return first !== null && first < 1 ? { at: first, reason: `An entry with id ${first}, which the app never writes, was put into the log.` } : null
}

/**
 * After a walk of every entry that held: whether the indexes the screens page the log by
 * hold every entry (auditIndexesMissingRows). The walk itself reads the table only.
 */
export function withIndexCheck(db: Database, walk: ChainWalk): ChainWalk {
  if (!walk.valid) return walk
  const problems = auditIndexesMissingRows(db)
  if (problems.length === 0) return walk
  return {
    valid: false,
    checked: walk.checked,
    last: walk.last,
    brokenAt: walk.last.id,
    reason: `The audit log's indexes disagree with its entries (${problems.join('; ')}): a page filtered by user or action could hide entries. Run "twofa-admin check --full" and restore a backup you trust.`
  }
}

/** Walks every entry in this thread, streaming, in constant memory: `twofa-admin audit --verify` and a restore's check. */
export function walkWholeChain(db: Database, keying: ChainKeying, onProgress?: (checked: number) => void): ChainWalk {
  return db.transaction(() => {
    const stray = strayEntry(db)
    if (stray !== null) return { valid: false, checked: 0, last: CHAIN_START, brokenAt: stray.at, reason: stray.reason } satisfies ChainWalk
    return withIndexCheck(db, walkChain(iterateAuditChain(db), CHAIN_START, keying, onProgress))
  })()
}
