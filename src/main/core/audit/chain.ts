// The audit log: every admin action and authentication event, appended in the
// same transaction as the change it records, and chained so that an edited or
// deleted row breaks verification. Each link is an HMAC-SHA-256 under a key
// derived from the secrets key, which never lives in the database: whoever
// holds only the database cannot recompute the chain after changing it. The
// newest link is also kept outside the database (anchor.ts), so deleting the
// newest entries shows too. Entries written before the chain was keyed (before
// schema 5 of this app) stay plain SHA-256 links; `keyedFrom` says where the
// keyed ones begin, sealed with the chain key, so that it can be neither moved
// nor deleted to pass rewritten entries off as old plain ones.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { AuditAction, AuditEntry } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import { auditEntryWriter, insertAuditEntry, lastAuditEntry, type AuditRecord } from '../../db/audit-repo'
import { deleteMeta, readMeta, writeMeta } from '../../db/meta-repo'
import { linksHere, startLinks, targetKey, type LinkMac, type Links, type LinksJob } from './links-thread'

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

/** The first schema whose links are keyed: from it on, where they begin is always recorded once the log has entries. */
export const KEYED_CHAIN_SCHEMA = 5

function keyedFromSeal(key: Buffer, from: number): string {
  return createHmac('sha256', key).update(`twofa-admin:audit-keyed-from|${from}`).digest('hex')
}

/** Records, sealed, that the links from `from` on are keyed. Written once: by the first append of a new log, or at the upgrade of an older one. */
export function recordKeyedFrom(db: Database, key: Buffer, from: number): void {
  writeMeta(db, KEYED_FROM, `${from}:${keyedFromSeal(key, from)}`)
}

/** Where the keyed links begin, as far as the database says (unchecked): null while it records nothing. */
function recordedKeyedFrom(db: Database): { from: number; seal: string } | 'malformed' | null {
  const text = readMeta(db, KEYED_FROM)
  if (text === null) return null
  const match = text.match(/^([1-9][0-9]{0,15}):([0-9a-f]{64})$/)
  return match ? { from: Number(match[1]), seal: match[2]! } : 'malformed'
}

const UPGRADE_PENDING = 'audit_upgrade_pending'

/** A log of plain links migrated to KEYED_CHAIN_SCHEMA whose keyed start is not recorded yet (migration 5 marks it). */
export function upgradePending(db: Database): boolean {
  return readMeta(db, UPGRADE_PENDING) !== null
}

/**
 * Records, sealed, that the links of an upgraded log are keyed from the entry
 * after its newest plain one, and says so in the log. Anyone with the file can
 * mark a log as pending (or make it look like an older version's): the entry
 * 'audit.chain-keyed' it leaves at the end of the log is the trace, as
 * 'audit.anchor-created' is for a deleted anchor.
 */
export function keyUpgradedChain(db: Database, key: Buffer, at: number): void {
  const last = lastAuditEntry(db)
  deleteMeta(db, UPGRADE_PENDING)
  if (last === null || readMeta(db, KEYED_FROM) !== null) return
  recordKeyedFrom(db, key, last.id + 1)
  appendAudit(db, at, { actor: 'system', action: 'audit.chain-keyed', details: { plainEntries: last.id } })
}

/**
 * How the links of this log are to be checked, and what is wrong with the
 * record of where the keyed ones begin, if anything: a seal that does not
 * hold (moved), a record missing from a log that must have one (deleted), or
 * garbage. `legacyPlain`: the log may be all plain links, because its database
 * is older than KEYED_CHAIN_SCHEMA (a backup not yet upgraded).
 */
export function chainKeyingOf(db: Database, key: Buffer | null, legacyPlain = false): ChainKeying & { problem: { at: number; reason: string } | null } {
  const recorded = recordedKeyedFrom(db)
  if (recorded === 'malformed') return { key, keyedFrom: 1, problem: { at: 1, reason: 'The record of where the keyed audit entries begin was changed in the database.' } }
  if (recorded === null) {
    const hasEntries = lastAuditEntry(db) !== null
    if (!hasEntries || legacyPlain || upgradePending(db)) return { key, keyedFrom: null, problem: null }
    // Every link must then be keyed: rewritten plain ones show as changed.
    return { key, keyedFrom: 1, problem: { at: 1, reason: 'The record of where the keyed audit entries begin was deleted from the database: its entries may have been rewritten.' } }
  }
  if (key !== null) {
    const expected = Buffer.from(keyedFromSeal(key, recorded.from), 'hex')
    if (!timingSafeEqual(expected, Buffer.from(recorded.seal, 'hex'))) {
      return { key, keyedFrom: 1, problem: { at: 1, reason: 'The record of where the keyed audit entries begin was moved in the database: its older entries were rewritten.' } }
    }
  }
  return { key, keyedFrom: recorded.from, problem: null }
}

/** Where the keyed links begin, unchecked (null: nowhere recorded). For the anchor, which seals it too. */
export function keyedFrom(db: Database): number | null {
  const recorded = recordedKeyedFrom(db)
  return recorded === null || recorded === 'malformed' ? null : recorded.from
}

/** What each connection appends with: its chain key (fetched when first needed), and who to tell that the anchor must move. */
interface AppendKeying {
  key: () => Buffer
  /** `began`: this entry is the first keyed one of its log (a new log's first, or an upgraded log's 'audit.chain-keyed'). */
  appended: (action: AuditAction, began: boolean) => void
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
  const key = appendKeying.key()
  // An upgraded log whose keyed start is not recorded yet (its key was not at hand at open):
  // recorded first, so this link is checked as the keyed one it is.
  if (upgradePending(db) && readMeta(db, KEYED_FROM) === null) keyUpgradedChain(db, key, at)
  const last = lastAuditEntry(db)
  const id = (last?.id ?? 0) + 1
  // A new log is keyed from its first entry. An older log was recorded at its upgrade (keyUpgradedChain);
  // one whose record is gone is not given a new one here: the next look reports it.
  const fresh = last === null && readMeta(db, KEYED_FROM) === null
  if (fresh) recordKeyedFrom(db, key, id)
  const began = fresh || event.action === 'audit.chain-keyed'
  const prevHash = last?.hash ?? GENESIS_HASH
  const base = { id, at, actor: event.actor, action: event.action, target: event.target ?? null, details: JSON.stringify(event.details ?? {}) }
  const hash = entryMac(key, prevHash, base)
  insertAuditEntry(db, { ...base, prevHash, hash })
  appendKeying.appended(event.action, began)
}

/**
 * From this many entries on, their links are made on a thread of their own while the caller goes on
 * (links-thread.ts). Starting it costs the caller about 20 ms and 0.3 µs an entry: below, a short UPDATE
 * (an unlock, a disable) leaves it nothing to overlap (a reviewer measured 43 ms against 21 at 2,001).
 */
export const LINKS_OFF_THREAD_FROM = 20_000

/** Entries begun by beginAuditEntries: `finish()` writes them, in the same transaction. */
export interface AuditEntriesUnderWay {
  finish(): void
}

export interface AuditEntriesOptions {
  /** Entries (after the first) from which their links are made off the thread (LINKS_OFF_THREAD_FROM). */
  offThreadFrom?: number
  /** For tests: the links thread's code and wait (links-thread.ts). */
  thread?: { source?: string; waitMs?: number }
}

/**
 * Appends many entries, one link each, as appendAudit would one after the
 * other (a bulk change: one entry per user), in two steps inside one write
 * transaction: the first goes through appendAudit now (a new or upgraded log's
 * keyed start), the links of the rest are made meanwhile (on a thread of their
 * own when they are many), and `finish()` writes the rest, chained on from the
 * first. Between the two the caller may change other tables (a bulk change's
 * UPDATE), but append nothing to the log.
 */
export function beginAuditEntries(db: Database, at: number, events: readonly AuditEvent[], options: AuditEntriesOptions = {}): AuditEntriesUnderWay {
  const nothing = { finish: () => {} }
  if (events.length === 0) return nothing
  // The first in the order the rest are written in (targetOrder), so all of them are in it.
  let firstAt = 0
  let firstKey = targetKey(events[0]!.target ?? null)
  for (let i = 1; i < events.length; i++) {
    const key = targetKey(events[i]!.target ?? null)
    if (key < firstKey) [firstAt, firstKey] = [i, key]
  }
  const rest = events.filter((_, i) => i !== firstAt)
  appendAudit(db, at, events[firstAt]!)
  if (rest.length === 0) return nothing
  const appendKeying = appendKeyings.get(db)!
  const key = appendKeying.key()
  const after = lastAuditEntry(db)!
  const job: LinksJob = { key, after, at, events: rest.map((event) => ({ actor: event.actor, action: event.action, target: event.target ?? null, details: JSON.stringify(event.details ?? {}) })) }
  const underWay = rest.length >= (options.offThreadFrom ?? LINKS_OFF_THREAD_FROM) ? startLinks(job, options.thread) : null
  // Each record's action is its event's (an AuditAction): the thread's module keeps it a string.
  const mac: LinkMac = (prevHash, record) => entryMac(key, prevHash, record as Omit<AuditRecord, 'prevHash' | 'hash'>)
  return {
    finish() {
      if (lastAuditEntry(db)?.id !== after.id) throw new Error('Audit entries were appended between beginAuditEntries and finish: the begun links no longer chain on.')
      const links = trusted(underWay?.take() ?? null, job, mac) ?? linksHere(job, mac)
      const write = auditEntryWriter(db)
      let prevHash = after.hash
      for (let i = 0; i < rest.length; i++) {
        const e = links.order[i]!
        const event = job.events[e]!
        const action = rest[e]!.action
        const hash = links.hashes[i]!
        write({ id: after.id + 1 + i, at, actor: event.actor, action, target: event.target, details: event.details, prevHash, hash })
        appendKeying.appended(action, false)
        prevHash = hash
      }
    }
  }
}

/**
 * The thread's links, when its first and its last are the ones entryMac makes here (else null: they are made
 * here). Its inputs are strings and numbers, so only a changed thread source could get a middle one wrong,
 * and the chain's verification would then report that entry; checking every link would cost what the thread saves.
 */
function trusted(links: Links | null, job: LinksJob, mac: LinkMac): Links | null {
  if (links === null) return null
  const holds = (i: number): boolean => {
    const event = job.events[links.order[i]!]!
    const prevHash = i === 0 ? job.after.hash : links.hashes[i - 1]!
    return links.hashes[i] === mac(prevHash, { id: job.after.id + 1 + i, at: job.at, ...event })
  }
  return holds(0) && holds(links.hashes.length - 1) ? links : null
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
