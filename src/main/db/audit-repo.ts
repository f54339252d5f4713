// SQL for the append-only, hash-chained audit log.
import type { AuditAction } from '../../shared/domain'
import type { Database } from './connection'
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

interface AuditRow {
  id: number
  at: number
  actor: string
  action: string
  target: string | null
  details: string
  prev_hash: string
  hash: string
}

function rowToAudit(row: AuditRow): AuditRecord {
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

export function insertAuditEntry(db: Database, entry: AuditRecord): void {
  statement(
    db,
    `INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash)
     VALUES (@id, @at, @actor, @action, @target, @details, @prevHash, @hash)`
  ).run(entry)
}

export interface AuditQuery {
  user?: string
  action?: string
  before?: number
  limit: number
}

export function listAuditEntries(db: Database, query: AuditQuery): AuditRecord[] {
  const where: string[] = []
  const params: Record<string, unknown> = { limit: query.limit }
  if (query.user !== undefined && query.user.length > 0) {
    where.push('(actor = @user COLLATE NOCASE OR target = @user COLLATE NOCASE)')
    params.user = query.user
  }
  if (query.action !== undefined && query.action.length > 0) {
    where.push('action = @action')
    params.action = query.action
  }
  if (query.before !== undefined) {
    where.push('id < @before')
    params.before = query.before
  }
  const rows = db
    .prepare(`SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`)
    .all(params) as AuditRow[]
  return rows.map(rowToAudit)
}

/** Every entry in chain order, streamed so a long log is not held in memory at once. */
export function* iterateAuditChain(db: Database): Generator<AuditRecord> {
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id ASC').iterate() as Iterable<AuditRow>) {
    yield rowToAudit(row)
  }
}
