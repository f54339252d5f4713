// The audit log: every admin action and authentication event, appended in the
// same transaction as the change it records, and chained by SHA-256 so that an
// edited or deleted row breaks verification.
import { createHash } from 'node:crypto'
import type { AuditAction, AuditEntry } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import { insertAuditEntry, lastAuditEntry, type AuditRecord } from '../../db/audit-repo'

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

/** Where a walk of the chain starts: after entry `id`, whose hash is `hash` (0 and GENESIS_HASH: the beginning). */
export interface ChainPoint {
  id: number
  hash: string
}

export const CHAIN_START: ChainPoint = { id: 0, hash: GENESIS_HASH }

export type ChainWalk =
  /** Every entry walked holds; `last` is where the walk ended (the start when there was nothing new). */
  | { valid: true; checked: number; last: ChainPoint }
  | { valid: false; checked: number; last: ChainPoint; brokenAt: number; reason: string }

/**
 * Checks the entries after `from`, in order, each against the one before it.
 * Streams: constant memory at any length. The first broken link ends the walk
 * and names the entry an admin should look at.
 */
export function walkChain(entries: Iterable<AuditRecord>, from: ChainPoint, onProgress?: (checked: number) => void): ChainWalk {
  let last = from
  let checked = 0
  for (const record of entries) {
    const broken = brokenLink(record, last)
    if (broken !== null) return { valid: false, checked, last, brokenAt: broken.at, reason: broken.reason }
    last = { id: record.id, hash: record.hash }
    checked++
    if (onProgress !== undefined && checked % PROGRESS_EVERY === 0) onProgress(checked)
  }
  return { valid: true, checked, last }
}

/** How often a walk reports how far it got. */
export const PROGRESS_EVERY = 10_000

function brokenLink(record: AuditRecord, previous: ChainPoint): { at: number; reason: string } | null {
  const expectedId = previous.id + 1
  if (record.id !== expectedId) return { at: expectedId, reason: `Entry ${expectedId} is missing.` }
  if (record.prevHash !== previous.hash) return { at: record.id, reason: `Entry ${record.id} does not follow the entry before it.` }
  if (entryHash(previous.hash, record) !== record.hash) return { at: record.id, reason: `Entry ${record.id} was changed after it was written.` }
  return null
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
