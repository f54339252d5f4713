// SQL for the key change log (migration 4): every change to a user's name,
// email, role or 2FA class, written by triggers, read by the jump signposts of
// every process to stay exact after writes.
import type { Role, TwoFactorClass } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'

/** One change of a user's sort and filter keys; `old` null: inserted, `new` null: deleted. */
export interface UserKeys {
  name: string
  email: string
  role: Role
  twoFactorClass: TwoFactorClass
}

export type KeyChange = { id: number; kind: 'reset' } | { id: number; kind: 'key'; userId: number; old: UserKeys | null; new: UserKeys | null }

interface KeyChangeRow {
  id: number
  kind: string
  user_id: number | null
  old_name: string | null
  old_email: string | null
  old_role: string | null
  old_class: string | null
  new_name: string | null
  new_email: string | null
  new_role: string | null
  new_class: string | null
}

function keysOf(name: string | null, email: string | null, role: string | null, twoFactorClass: string | null): UserKeys | null {
  if (name === null || email === null || role === null || twoFactorClass === null) return null
  return { name, email, role: role as Role, twoFactorClass: twoFactorClass as TwoFactorClass }
}

function rowToKeyChange(row: KeyChangeRow): KeyChange {
  if (row.kind === 'reset' || row.user_id === null) return { id: row.id, kind: 'reset' }
  return {
    id: row.id,
    kind: 'key',
    userId: row.user_id,
    old: keysOf(row.old_name, row.old_email, row.old_role, row.old_class),
    new: keysOf(row.new_name, row.new_email, row.new_role, row.new_class)
  }
}

/** The changes after `afterId`, oldest first, at most `limit`. */
export function keyChangesAfter(db: Database, afterId: number, limit: number): KeyChange[] {
  return (statement(db, 'SELECT * FROM user_key_changes WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as KeyChangeRow[]).map(rowToKeyChange)
}

/** The oldest and newest change still in the log (0 and 0 when it is empty): two index probes. */
export function keyChangeWindow(db: Database): { first: number; last: number } {
  const row = statement(db, 'SELECT (SELECT min(id) FROM user_key_changes) AS first, (SELECT max(id) FROM user_key_changes) AS last').get() as {
    first: number | null
    last: number | null
  }
  return { first: row.first ?? 0, last: row.last ?? 0 }
}

/** After a bulk load that bypassed the row triggers: every process's signposts are built again. */
export function recordKeyReset(db: Database): void {
  statement(db, "INSERT INTO user_key_changes (kind) VALUES ('reset')").run()
}
