// The audit log: every admin action and authentication event, appended in the
// same transaction as the change it records, and chained so that an edited or
// deleted row breaks verification. Each link is an HMAC-SHA-256 under a key
// derived from the secrets key, which never lives in the database: whoever
// holds only the database cannot recompute the chain after changing it. The
// newest link is also kept outside the database (anchor.ts), so deleting the
// newest entries shows too. Entries written before the chain was keyed (before
// schema 5 of this app) stay plain SHA-256 links; `keyedFrom` says where the
// keyed ones begin, and the anchor vouches for it.
import { createHash, createHmac } from 'node:crypto'
import type { AuditAction, AuditEntry } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import { insertAuditEntry, lastAuditEntry, type AuditRecord } from '../../db/audit-repo'
import { readMeta, writeMeta } from '../../db/meta-repo'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEvent {
  actor: string
  action: AuditAction
  target?: string | null
  details?: Record<string, unknown>
}

/**
 * How the links of one directory are made: the chain key (null when it is not
 * at hand: a backup checked before its key was imported), and the first id
 * linked with it (null while no entry is keyed).
 */
export interface ChainKeying {
  key: Buffer | null
  keyedFrom: number | null
}

function canonical(entry: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  return JSON.stringify([entry.id, entry.at, entry.actor, entry.action, entry.target, entry.details])
}

/** A link of the chain before it was keyed (schema 4 and earlier). */
export function entryHash(prevHash: string, entry: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(entry)).digest('hex')
}

/** A keyed link: exported for the benchmark, whose bare-SQL floor must write the same valid chain. */
export function entryMac(key: Buffer, prevHash: string, entry: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonical(entry)).digest('hex')
}

/** The chain key: its own sub-key of the secrets key, so neither can stand in for the other. */
export function chainKeyOf(dataKey: Buffer): Buffer {
  return createHmac('sha256', dataKey).update('twofa-admin:audit-chain').digest()
}

function isKeyed(keying: ChainKeying, id: number): boolean {
  return keying.keyedFrom !== null && id >= keying.keyedFrom
}

const KEYED_FROM = 'audit_keyed_from'

/** Where the keyed links begin: fixed by the first keyed append, null while there has been none. */
export function keyedFrom(db: Database): number | null {
  const text = readMeta(db, KEYED_FROM)
  return text === null ? null : Number(text)
}

/** What each connection appends with: its chain key (fetched when first needed), and who to tell that the anchor must move. */
interface AppendKeying {
  key: () => Buffer
  appended: () => void
}

const appendKeyings = new WeakMap<Database, AppendKeying>()

/** Makes appendAudit on this connection write keyed links (open-core.ts does it for every core). */
export function keyAuditChain(db: Database, keying: AppendKeying): void {
  appendKeyings.set(db, keying)
}

/** Appends one entry. Call inside the write transaction of the change it records. */
export function appendAudit(db: Database, at: number, event: AuditEvent): void {
  const appendKeying = appendKeyings.get(db)
  if (appendKeying === undefined) throw new Error('This connection has no audit chain key: open the directory with openCore.')
  const last = lastAuditEntry(db)
  const id = (last?.id ?? 0) + 1
  let from = keyedFrom(db)
  if (from === null) {
    // The first keyed link: from here on every link needs the key.
    from = id
    writeMeta(db, KEYED_FROM, String(from))
  }
  const prevHash = last?.hash ?? GENESIS_HASH
  const base = { id, at, actor: event.actor, action: event.action, target: event.target ?? null, details: JSON.stringify(event.details ?? {}) }
  const hash = entryMac(appendKeying.key(), prevHash, base)
  insertAuditEntry(db, { ...base, prevHash, hash })
  appendKeying.appended()
}

/** Where a walk of the chain starts: after entry `id`, whose hash is `hash` (0 and GENESIS_HASH: the beginning). */
export interface ChainPoint {
  id: number
  hash: string
}

export const CHAIN_START: ChainPoint = { id: 0, hash: GENESIS_HASH }

export type ChainWalk =
  /**
   * Every entry walked holds; `last` is where the walk ended (the start when
   * there was nothing new). `unverifiable`: the keyed entries from this id on
   * could not be checked, for want of the key.
   */
  | { valid: true; checked: number; last: ChainPoint; unverifiable?: number }
  | { valid: false; checked: number; last: ChainPoint; brokenAt: number; reason: string }

/**
 * Checks the entries after `from`, in order, each against the one before it.
 * Streams: constant memory at any length. The first broken link ends the walk
 * and names the entry an admin should look at. `keying` null: the directory
 * has no keyed links yet.
 */
export function walkChain(entries: Iterable<AuditRecord>, from: ChainPoint, keying: ChainKeying, onProgress?: (checked: number) => void): ChainWalk {
  let last = from
  let checked = 0
  for (const record of entries) {
    if (keying.key === null && isKeyed(keying, record.id)) return { valid: true, checked, last, unverifiable: record.id }
    const broken = brokenLink(record, last, keying)
    if (broken !== null) return { valid: false, checked, last, brokenAt: broken.at, reason: broken.reason }
    last = { id: record.id, hash: record.hash }
    checked++
    if (onProgress !== undefined && checked % PROGRESS_EVERY === 0) onProgress(checked)
  }
  return { valid: true, checked, last }
}

/** How often a walk reports how far it got. */
export const PROGRESS_EVERY = 10_000

function brokenLink(record: AuditRecord, previous: ChainPoint, keying: ChainKeying): { at: number; reason: string } | null {
  const expectedId = previous.id + 1
  if (record.id !== expectedId) return { at: expectedId, reason: `Entry ${expectedId} is missing.` }
  if (record.prevHash !== previous.hash) return { at: record.id, reason: `Entry ${record.id} does not follow the entry before it.` }
  const link = keying.key !== null && isKeyed(keying, record.id) ? entryMac(keying.key, previous.hash, record) : entryHash(previous.hash, record)
  if (link !== record.hash) return { at: record.id, reason: `Entry ${record.id} was changed after it was written.` }
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
