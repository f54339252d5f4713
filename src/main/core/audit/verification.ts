// How far the audit chain is verified, kept in the database (audit_verification)
// so that reading the log never walks it again: each look checks only the
// entries written since the mark (catchUp, bounded), and a check of every entry
// runs as a background task, never on the thread that answers the screens.
import type { AuditChainStatus } from '../../../shared/domain'
import { writeRefusal, writeTransaction, type Database } from '../../db/connection'
import {
  advanceVerification,
  auditEntriesAfter,
  auditEntryHash,
  iterateAuditChain,
  lastAuditEntry,
  readVerification,
  recordBrokenLink,
  recordFullVerification
} from '../../db/audit-repo'
import { CHAIN_START, walkChain, type ChainPoint, type ChainWalk } from './chain'

/** At most this many new entries are checked in the request that notices them (a few milliseconds); more go to a background task. */
export const CATCH_UP_LIMIT = 5_000

/** The number of entries: ids run from 1 without gaps, so the last id is the count (a missing one breaks the chain). */
export function auditEntryCount(db: Database): number {
  return lastAuditEntry(db)?.id ?? 0
}

/**
 * Checks up to `limit` entries written after the mark, and moves the mark over
 * those that hold. Also notices the entry at the mark being changed or the log
 * being cut below it. Returns whether more entries wait to be checked.
 * Records nothing on a database that refuses writes (a damaged one): the
 * status is then only computed.
 */
export function catchUp(db: Database, limit = CATCH_UP_LIMIT): { pending: boolean } {
  const record = !writeRefusal(db)
  const step = (): { pending: boolean } => {
    const mark = readVerification(db)
    if (mark.brokenAt !== null) return { pending: false }
    if (mark.verifiedThrough > 0) {
      const hash = auditEntryHash(db, mark.verifiedThrough)
      if (hash !== mark.verifiedHash) {
        const reason =
          hash === null
            ? `Entry ${mark.verifiedThrough} and the entries after it are missing: the log was cut after it was verified.`
            : `Entry ${mark.verifiedThrough} was changed after it was verified.`
        if (record) recordBrokenLink(db, mark.verifiedThrough, reason)
        return { pending: false }
      }
    }
    const entries = auditEntriesAfter(db, mark.verifiedThrough, limit)
    const walk = walkChain(entries, { id: mark.verifiedThrough, hash: mark.verifiedHash })
    if (record) recordWalk(db, walk)
    return { pending: walk.valid && entries.length === limit }
  }
  return record ? writeTransaction(db, step) : db.transaction(step)()
}

/** The entries a walk got through hold, whether or not it then met a broken link. */
function recordWalk(db: Database, walk: ChainWalk): void {
  advanceVerification(db, walk.last.id, walk.last.hash)
  if (!walk.valid) recordBrokenLink(db, walk.brokenAt, walk.reason)
}

/** Records the outcome of a walk over every entry (from the start of the chain). */
export function recordWholeWalk(db: Database, walk: ChainWalk, now: number, entries: number): void {
  if (writeRefusal(db)) return
  writeTransaction(db, () => {
    recordFullVerification(db, now, entries, walk.valid)
    recordWalk(db, walk)
  })
}

/** Records the outcome of a walk that continued from the mark (a background catch-up). */
export function recordCatchUpWalk(db: Database, walk: ChainWalk): void {
  if (writeRefusal(db)) return
  writeTransaction(db, () => recordWalk(db, walk))
}

/** Where the verified part of the chain ends: a background catch-up walks on from here. */
export function verificationMark(db: Database): ChainPoint {
  const mark = readVerification(db)
  return { id: mark.verifiedThrough, hash: mark.verifiedHash }
}

/** The status as the screens show it, from the mark (after catchUp) and the verification under way, if any. */
export function chainStatus(db: Database, verifying: AuditChainStatus['verifying']): AuditChainStatus {
  const mark = readVerification(db)
  return {
    entries: auditEntryCount(db),
    verifiedThrough: mark.verifiedThrough,
    broken: mark.brokenAt === null ? null : { at: mark.brokenAt, reason: mark.brokenReason ?? 'The chain is broken.' },
    lastFullVerification:
      mark.fullAt === null ? null : { at: mark.fullAt, entries: mark.fullEntries ?? 0, valid: mark.fullValid === true },
    verifying
  }
}

/** Walks every entry in this thread, streaming, in constant memory: `twofa-admin audit --verify` and a restore's check. */
export function walkWholeChain(db: Database, onProgress?: (checked: number) => void): ChainWalk {
  return db.transaction(() => walkChain(iterateAuditChain(db), CHAIN_START, onProgress))()
}
