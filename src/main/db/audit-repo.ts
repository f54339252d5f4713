// SQL for the append-only, hash-chained audit log and the mark of how far its
// chain has been verified.
import type { AuditAction } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'

export interface AuditRecord {
  id: number
  at: number
  actor: string
  action: AuditAction
  target: string | null
  details: string
  prevHash: string
  hash: string
}

export interface AuditRow {
  id: number
  at: number
  actor: string
  action: string
  target: string | null
  details: string
  prev_hash: string
  hash: string
}

export function rowToAudit(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    target: row.target,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash
  }
}

export function lastAuditEntry(db: Database): { id: number; hash: string } | null {
  const row = statement(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined
  return row ?? null
}

/**
 * The indexes of the audit log that do not hold one row per entry (empty: all do). A page
 * filtered by user or action reads an index: one rebuilt to leave rows out would hide
 * entries that a walk of the table still finds. Each index is read in its own order, a
 * scan of the index alone (about a second per 10M entries); an index whose rows are all
 * there but wrong is what SQLite's integrity_check finds (`twofa-admin check --full`),
 * at some forty times the cost.
 */
export function auditIndexesMissingRows(db: Database): string[] {
  const entries = db.prepare('SELECT count(*) FROM audit_log NOT INDEXED').pluck().get() as number
  const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[]
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
  const problems: string[] = []
  for (const name of names) {
    const columns = (db.pragma(`index_xinfo(${quote(name)})`) as { name: string | null; coll: string; key: number }[]).filter((column) => column.key === 1 && column.name !== null)
    const order = columns.map((column) => `${quote(column.name ?? '')} COLLATE ${column.coll}`).join(', ')
    const rows = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM audit_log INDEXED BY ${quote(name)} ORDER BY ${order})`).pluck().get() as number
    if (rows !== entries) problems.push(`the index ${name} holds ${rows} of its ${entries} entries`)
  }
  return problems
}

/** The smallest id in the log, or null when it is empty: 1 in a log the app wrote. */
export function firstAuditEntryId(db: Database): number | null {
  return (statement(db, 'SELECT id FROM audit_log ORDER BY id LIMIT 1').pluck().get() as number | undefined) ?? null
}

/** The hash of one entry, or null when there is no such entry. */
export function auditEntryHash(db: Database, id: number): string | null {
  return (statement(db, 'SELECT hash FROM audit_log WHERE id = ?', { pluck: true }).get(id) as string | undefined) ?? null
}

/** Many entries in a row (a bulk change's): the values bound by position, which is cheaper than by name at 100,000 entries. */
export function auditEntryWriter(db: Database): (entry: AuditRecord) => void {
  const insert = statement(db, 'INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  return (entry) => {
    insert.run(entry.id, entry.at, entry.actor, entry.action, entry.target, entry.details, entry.prevHash, entry.hash)
  }
}

export function insertAuditEntry(db: Database, entry: AuditRecord): void {
  statement(
    db,
    `INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash)
     VALUES (@id, @at, @actor, @action, @target, @details, @prevHash, @hash)`
  ).run(entry)
}

export interface AuditQuery {
  /** Entries whose actor or target is this (ignoring ASCII case). */
  user?: string
  action?: AuditAction
  /** Entries with an id below this one. */
  before?: number
  limit: number
}

/**
 * One page, newest first. Each filter shape is an index seek in id order that
 * stops after `limit` rows: with a user, the actor and the target indexes are
 * each read for at most `limit` rows and the two short lists merged, so a page
 * costs the same however long the log or the user's history is.
 */
export function listAuditEntries(db: Database, query: AuditQuery): AuditRecord[] {
  const { sql, params } = auditPageStatement(query)
  return (statement(db, sql).all(params) as AuditRow[]).map(rowToAudit)
}

/** The statement behind listAuditEntries, for EXPLAIN QUERY PLAN in the tests. */
export function auditPageStatement(query: AuditQuery): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {
    limit: query.limit,
    // Ids are positive: "before" the largest integer is every entry.
    before: query.before ?? Number.MAX_SAFE_INTEGER
  }
  const action = query.action === undefined ? '' : 'AND action = @action'
  if (query.action !== undefined) params.action = query.action
  if (query.user === undefined || query.user.length === 0) {
    return { sql: `SELECT * FROM audit_log WHERE id < @before ${action} ORDER BY id DESC LIMIT @limit`, params }
  }
  params.user = query.user
  // UNION (not UNION ALL): an entry whose actor and target are both the user is listed once.
  const sql = `
    SELECT * FROM (SELECT * FROM audit_log WHERE actor = @user COLLATE NOCASE ${action} AND id < @before ORDER BY id DESC LIMIT @limit)
    UNION
    SELECT * FROM (SELECT * FROM audit_log WHERE target = @user COLLATE NOCASE ${action} AND id < @before ORDER BY id DESC LIMIT @limit)
    ORDER BY id DESC LIMIT @limit`
  return { sql, params }
}

/**
 * The entries after `afterId` in chain order, streamed so a long log is never
 * held in memory (a fresh statement each time: iterate() holds its cursor open).
 */
export function* iterateAuditChain(db: Database, afterId = 0): Generator<AuditRecord> {
  for (const row of db.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id ASC').iterate(afterId) as Iterable<AuditRow>) {
    yield rowToAudit(row)
  }
}

/** The entries after `afterId`, at most `limit` of them, in chain order. */
export function auditEntriesAfter(db: Database, afterId: number, limit: number): AuditRecord[] {
  return (statement(db, 'SELECT * FROM audit_log WHERE id > ? ORDER BY id ASC LIMIT ?').all(afterId, limit) as AuditRow[]).map(rowToAudit)
}

// ---- How far the chain is verified ----

export interface VerificationRecord {
  verifiedThrough: number
  verifiedHash: string
  brokenAt: number | null
  brokenReason: string | null
  fullAt: number | null
  fullEntries: number | null
  fullValid: boolean | null
}

interface VerificationRow {
  verified_through: number
  verified_hash: string
  broken_at: number | null
  broken_reason: string | null
  full_at: number | null
  full_entries: number | null
  full_valid: number | null
}

export function readVerification(db: Database): VerificationRecord {
  const row = statement(db, 'SELECT * FROM audit_verification WHERE id = 1').get() as VerificationRow
  return {
    verifiedThrough: row.verified_through,
    verifiedHash: row.verified_hash,
    brokenAt: row.broken_at,
    brokenReason: row.broken_reason,
    fullAt: row.full_at,
    fullEntries: row.full_entries,
    fullValid: row.full_valid === null ? null : row.full_valid === 1
  }
}

/** Moves the mark forward (never back: another process may have moved it further meanwhile). */
export function advanceVerification(db: Database, verifiedThrough: number, verifiedHash: string): void {
  statement(db, 'UPDATE audit_verification SET verified_through = ?, verified_hash = ? WHERE id = 1 AND verified_through < ?').run(
    verifiedThrough,
    verifiedHash,
    verifiedThrough
  )
}

/**
 * Sets the mark to where a check of this very file got, and forgets the findings it
 * carried: those of the database it was copied from (a restored backup).
 */
export function resetVerification(db: Database, verifiedThrough: number, verifiedHash: string): void {
  statement(
    db,
    'UPDATE audit_verification SET verified_through = ?, verified_hash = ?, broken_at = NULL, broken_reason = NULL, full_at = NULL, full_entries = NULL, full_valid = NULL WHERE id = 1'
  ).run(verifiedThrough, verifiedHash)
}

/** Records the first broken link found (the earliest one wins). */
export function recordBrokenLink(db: Database, at: number, reason: string): void {
  statement(db, 'UPDATE audit_verification SET broken_at = ?, broken_reason = ? WHERE id = 1 AND (broken_at IS NULL OR broken_at > ?)').run(at, reason, at)
}

/** Records the outcome of a check of every entry; a full check that found no break clears an older finding. */
export function recordFullVerification(db: Database, at: number, entries: number, valid: boolean): void {
  statement(
    db,
    `UPDATE audit_verification SET full_at = ?, full_entries = ?, full_valid = ?,
       broken_at = CASE WHEN ? THEN NULL ELSE broken_at END,
       broken_reason = CASE WHEN ? THEN NULL ELSE broken_reason END
     WHERE id = 1`
  ).run(at, entries, valid ? 1 : 0, valid ? 1 : 0, valid ? 1 : 0)
}
