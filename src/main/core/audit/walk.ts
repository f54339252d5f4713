// A walk over the whole audit chain in this thread, streaming in constant
// memory, on any connection (the live directory, or a backup being checked):
// no context needed, so a restore's check can use it too.
import type { Database } from '../../db/connection'
import { iterateAuditChain, lastAuditEntry } from '../../db/audit-repo'
import { CHAIN_START, walkChain, type ChainKeying, type ChainWalk } from './chain'

/** The number of entries: ids run from 1 without gaps, so the last id is the count (a missing one breaks the chain). */
export function auditEntryCount(db: Database): number {
  return lastAuditEntry(db)?.id ?? 0
}

/** Walks every entry in this thread, streaming, in constant memory: `twofa-admin audit --verify` and a restore's check. */
export function walkWholeChain(db: Database, keying: ChainKeying, onProgress?: (checked: number) => void): ChainWalk {
  return db.transaction(() => walkChain(iterateAuditChain(db), CHAIN_START, keying, onProgress))()
}
