// How far the audit chain is verified, kept in the database (audit_verification)
// so that reading the log never walks it again: each look checks only the
// entries written since the mark (catchUp, bounded) and the anchor outside the
// database (anchor.ts), and a check of every entry runs as a background task,
// never on the thread that answers the screens.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AuditChainStatus } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { writeRefusal, writeTransaction, type Database } from '../../db/connection'
import {
  advanceVerification,
  auditEntriesAfter,
  auditEntryHash,
  lastAuditEntry,
  readVerification,
  recordBrokenLink,
  recordFullVerification,
  resetVerification,
  type VerificationRecord
} from '../../db/audit-repo'
import { deleteMeta, readMeta, writeMeta } from '../../db/meta-repo'
import type { CoreContext } from '../context'
import { anchorPath, readAnchor } from './anchor'
import { auditEntryCount, strayEntry } from './walk'

export { auditEntryCount, walkWholeChain } from './walk'
import { appendAudit, chainKeyingOf, chainKeyOf, GENESIS_HASH, keyUpgradedChain, upgradePending, walkChain, type ChainKeying, type ChainPoint, type ChainWalk } from './chain'

const VERIFICATION_SEAL = 'audit_verification_seal'

function verificationSeal(key: Buffer, record: VerificationRecord): string {
  const fields = [record.verifiedThrough, record.verifiedHash, record.brokenAt, record.brokenReason, record.fullAt, record.fullEntries, record.fullValid]
  return createHmac('sha256', key).update(`twofa-admin:audit-verification|${JSON.stringify(fields)}`).digest('hex')
}

/**
 * Seals the verification record as it now stands (call in the transaction that changed it).
 * A record whose seal does not hold (changed outside the app: a finding erased, the mark
 * moved) or that has none (restored, seeded) counts as never verified: the looks check the
 * log again from its first entry, and find again what was found before.
 */
export function sealVerification(db: Database, key: Buffer): void {
  const seal = verificationSeal(key, readVerification(db))
  // Written only when it changes: a look that found nothing new commits nothing.
  if (readMeta(db, VERIFICATION_SEAL) !== seal) writeMeta(db, VERIFICATION_SEAL, seal)
}

/** Whether the stored record is the one this app sealed. */
function verificationHolds(db: Database, key: Buffer): boolean {
  const stored = readMeta(db, VERIFICATION_SEAL)
  if (stored === null || !/^[0-9a-f]{64}$/.test(stored)) return false
  return timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(verificationSeal(key, readVerification(db)), 'hex'))
}

/** At most this many new entries are checked in the request that notices them (a few milliseconds); more go to a background task. */
export const CATCH_UP_LIMIT = 5_000

function chainKey(ctx: CoreContext): Buffer | null {
  try {
    return chainKeyOf(ctx.dataKey.get())
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'KEY_UNAVAILABLE') throw error
    return null
  }
}

/**
 * The chain key of this directory (null when the secrets key is not at hand), where keyed
 * links begin, and what is wrong with the record of that, if anything (chainKeyingOf).
 */
export function chainKeying(ctx: CoreContext): ReturnType<typeof chainKeyingOf> {
  return chainKeyingOf(ctx.db, chainKey(ctx))
}

/**
 * A log of plain links upgraded to KEYED_CHAIN_SCHEMA (migration 5 marks it): at the
 * first open with the key at hand, records where its keyed links begin, sealed, and says
 * so in the log (keyUpgradedChain). Only here and at a new log's first entry is that
 * ever recorded.
 */
export function recordUpgradedChain(ctx: CoreContext): void {
  if (!upgradePending(ctx.db) || writeRefusal(ctx.db)) return
  const key = chainKey(ctx)
  if (key === null) return
  writeTransaction(ctx.db, () => keyUpgradedChain(ctx.db, key, ctx.clock.now()))
}

/**
 * Compares the database with the anchor outside it: a forged anchor, entries
 * deleted from the end, a changed newest entry, or a moved start of the keyed
 * links. A missing anchor is written anew and that is recorded in the log.
 * Returns the finding, or null.
 */
function checkAnchor(ctx: CoreContext, keying: ChainKeying, record: boolean): { at: number; reason: string } | null {
  if (keying.key === null || keying.keyedFrom === null) return null
  const path = anchorPath(ctx.dbPath)
  const read = readAnchor(path, keying.key)
  const last = lastAuditEntry(ctx.db)
  if (read.kind === 'missing') {
    // Written anew after this transaction commits (open-core.ts anchors every commit that appended).
    if (record && last !== null) appendAudit(ctx.db, ctx.clock.now(), { actor: 'system', action: 'audit.anchor-created', details: { entries: last.id } })
    return null
  }
  if (read.kind === 'forged') return { at: last?.id ?? 0, reason: `The audit anchor ${path} was changed: it is not sealed with this directory's key.` }
  const anchor = read.anchor
  if (anchor.keyedFrom !== keying.keyedFrom) {
    return { at: Math.min(anchor.keyedFrom, keying.keyedFrom), reason: 'Where the keyed entries begin was moved in the database: its older entries were rewritten.' }
  }
  if (last === null || last.id < anchor.id) {
    const newestLeft = last?.id ?? 0
    return { at: newestLeft + 1, reason: `Entries ${newestLeft + 1} to ${anchor.id}, the newest, were deleted.` }
  }
  if (auditEntryHash(ctx.db, anchor.id) !== anchor.hash) return { at: anchor.id, reason: `Entry ${anchor.id} was changed after it was written.` }
  return null
}

/**
 * Checks up to `limit` entries written after the mark, and moves the mark over
 * those that hold. Also notices the entry at the mark being changed, the log
 * being cut below it, and what the anchor says. Returns whether more entries
 * wait to be checked. Records nothing on a database that refuses writes (a
 * damaged one) or while a background task writes: the status is then only
 * computed.
 */
export function catchUp(ctx: CoreContext, limit = CATCH_UP_LIMIT): { pending: boolean } {
  const db = ctx.db
  // Nor while a background task holds the write lock (the write gate): the next look records.
  const record = !writeRefusal(db) && !ctx.writeGate.held
  const keying = chainKeying(ctx)
  const step = (): { pending: boolean } => {
    if (record && keying.key !== null && !verificationHolds(db, keying.key)) {
      resetVerification(db, 0, GENESIS_HASH)
      deleteMeta(db, VERIFICATION_SEAL)
    }
    const result = checkFromMark()
    if (record && keying.key !== null) sealVerification(db, keying.key)
    return result
  }
  const checkFromMark = (): { pending: boolean } => {
    const mark = readVerification(db)
    if (mark.brokenAt !== null) return { pending: false }
    const broken = (at: number, reason: string): { pending: boolean } => {
      if (record) recordBrokenLink(db, at, reason)
      return { pending: false }
    }
    const anchored = keying.problem ?? strayEntry(db) ?? checkAnchor(ctx, keying, record)
    if (anchored !== null) return broken(anchored.at, anchored.reason)
    if (mark.verifiedThrough > 0) {
      const hash = auditEntryHash(db, mark.verifiedThrough)
      if (hash !== mark.verifiedHash) {
        return broken(
          mark.verifiedThrough,
          hash === null
            ? `Entry ${mark.verifiedThrough} and the entries after it are missing: the log was cut after it was verified.`
            : `Entry ${mark.verifiedThrough} was changed after it was verified.`
        )
      }
    }
    const entries = auditEntriesAfter(db, mark.verifiedThrough, limit)
    const walk = walkChain(entries, { id: mark.verifiedThrough, hash: mark.verifiedHash }, keying)
    if (record) recordWalk(db, walk)
    return { pending: walk.valid && walk.unverifiable === undefined && entries.length === limit }
  }
  return record ? writeTransaction(db, step) : db.transaction(step)()
}

/** The entries a walk got through hold, whether or not it then met a broken link. */
function recordWalk(db: Database, walk: ChainWalk): void {
  advanceVerification(db, walk.last.id, walk.last.hash)
  if (!walk.valid) recordBrokenLink(db, walk.brokenAt, walk.reason)
}

/**
 * Records the outcome of a walk over every entry (from the start of the
 * chain), together with what the anchor says: entries that hold among
 * themselves are not enough when the newest were cut off. Returns the outcome.
 */
export function recordWholeWalk(ctx: CoreContext, walk: ChainWalk, entries: number): ChainWalk {
  const keying = chainKeying(ctx)
  // A record of the keyed start that does not hold explains a broken walk better than its first plain link does.
  const anchored = keying.problem ?? (walk.valid ? checkAnchor(ctx, keying, false) : null)
  const outcome: ChainWalk = anchored === null ? walk : { valid: false, checked: walk.checked, last: walk.last, brokenAt: anchored.at, reason: anchored.reason }
  if (writeRefusal(ctx.db)) return outcome
  writeTransaction(ctx.db, () => {
    // A record that does not hold is replaced whole: the walk covered every entry.
    if (keying.key !== null && !verificationHolds(ctx.db, keying.key)) resetVerification(ctx.db, 0, GENESIS_HASH)
    recordFullVerification(ctx.db, ctx.clock.now(), entries, outcome.valid)
    recordWalk(ctx.db, outcome)
    if (keying.key !== null) sealVerification(ctx.db, keying.key)
  })
  return outcome
}

/** Records the outcome of a walk that continued from the mark (a background catch-up). */
export function recordCatchUpWalk(ctx: CoreContext, walk: ChainWalk): void {
  if (writeRefusal(ctx.db)) return
  const key = chainKeying(ctx).key
  writeTransaction(ctx.db, () => {
    // Only over a record that still holds: one reset meanwhile is walked again from its start.
    if (key !== null && !verificationHolds(ctx.db, key)) return
    recordWalk(ctx.db, walk)
    if (key !== null) sealVerification(ctx.db, key)
  })
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
