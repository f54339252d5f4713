// The audit log: every admin action and authentication event, appended in the
// same transaction as the change it records, and chained by SHA-256 so that an
// edited or deleted row breaks verification.
import { createHash } from 'node:crypto'
import type { AuditAction, AuditChainState, AuditEntry } from '../../shared/domain'
import type { Database } from '../db/connection'
import { insertAuditEntry, iterateAuditChain, lastAuditEntry, type AuditRecord } from '../db/audit-repo'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEvent {
  actor: string
  action: AuditAction
  target?: string | null
  details?: Record<string, unknown>
}

/** Exported for the benchmark, whose bare-SQL floor must write the same valid chain. */
export function entryHash(prevHash: string, entry: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  const canonical = JSON.stringify([entry.id, entry.at, entry.actor, entry.action, entry.target, entry.details])
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex')
}

/** Appends one entry. Call inside the write transaction of the change it records. */
export function appendAudit(db: Database, at: number, event: AuditEvent): void {
  const last = lastAuditEntry(db)
  const prevHash = last?.hash ?? GENESIS_HASH
  const base = {
    id: (last?.id ?? 0) + 1,
    at,
    actor: event.actor,
    action: event.action,
    target: event.target ?? null,
    details: JSON.stringify(event.details ?? {})
  }
  insertAuditEntry(db, { ...base, prevHash, hash: entryHash(prevHash, base) })
}

/** Walks the whole chain; the first broken link names the entry an admin should look at. */
export function verifyAuditChain(db: Database): AuditChainState {
  let prevHash = GENESIS_HASH
  let expectedId = 1
  let entries = 0
  for (const record of iterateAuditChain(db)) {
    entries++
    if (record.id !== expectedId) {
      return { valid: false, entries, brokenAt: expectedId, reason: `Entry ${expectedId} is missing.` }
    }
    if (record.prevHash !== prevHash) {
      return { valid: false, entries, brokenAt: record.id, reason: `Entry ${record.id} does not follow the entry before it.` }
    }
    if (entryHash(prevHash, record) !== record.hash) {
      return { valid: false, entries, brokenAt: record.id, reason: `Entry ${record.id} was changed after it was written.` }
    }
    prevHash = record.hash
    expectedId++
  }
  return { valid: true, entries }
}

export function toAuditEntry(record: AuditRecord): AuditEntry {
  let details: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(record.details)
    details = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  } catch {
    details = {}
  }
  return { id: record.id, at: record.at, actor: record.actor, action: record.action, target: record.target, details }
}
