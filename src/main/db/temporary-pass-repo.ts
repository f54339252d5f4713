// SQL for temporary access passes: one row per user at most (migration 9).
import type { Database } from './sqlite'
import { statement } from './statements'

export interface TemporaryPassRecord {
  userId: number
  /** SHA-256 of the normalised pass (core/temporary-pass/pass-secret.ts), hex. */
  passHash: string
  singleUse: boolean
  issuedAt: number
  issuedBy: string
  expiresAt: number
  usedAt: number | null
}

interface TemporaryPassRow {
  user_id: number
  pass_hash: string
  single_use: number
  issued_at: number
  issued_by: string
  expires_at: number
  used_at: number | null
}

function rowToPass(row: TemporaryPassRow): TemporaryPassRecord {
  return {
    userId: row.user_id,
    passHash: row.pass_hash,
    singleUse: row.single_use === 1,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by,
    expiresAt: row.expires_at,
    usedAt: row.used_at
  }
}

export function findTemporaryPass(db: Database, userId: number): TemporaryPassRecord | null {
  const row = statement(db, 'SELECT * FROM temporary_passes WHERE user_id = ?').get(userId) as TemporaryPassRow | undefined
  return row ? rowToPass(row) : null
}

/** Stores the user's new pass in place of the one they had (one per user). */
export function replaceTemporaryPass(db: Database, pass: TemporaryPassRecord): void {
  statement(
    db,
    `INSERT INTO temporary_passes (user_id, pass_hash, single_use, issued_at, issued_by, expires_at, used_at)
     VALUES (@userId, @passHash, @singleUse, @issuedAt, @issuedBy, @expiresAt, NULL)
     ON CONFLICT (user_id) DO UPDATE SET
       pass_hash = excluded.pass_hash, single_use = excluded.single_use, issued_at = excluded.issued_at,
       issued_by = excluded.issued_by, expires_at = excluded.expires_at, used_at = NULL`
  ).run({ ...pass, singleUse: pass.singleUse ? 1 : 0 })
}

/** Uses up a single-use pass; false when it was used (or replaced) meanwhile, by any process. */
export function markTemporaryPassUsed(db: Database, userId: number, passHash: string, now: number): boolean {
  return statement(db, 'UPDATE temporary_passes SET used_at = ? WHERE user_id = ? AND pass_hash = ? AND used_at IS NULL').run(now, userId, passHash).changes === 1
}

export function deleteTemporaryPass(db: Database, userId: number): boolean {
  return statement(db, 'DELETE FROM temporary_passes WHERE user_id = ?').run(userId).changes === 1
}
