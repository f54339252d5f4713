// SQL for the global enforcement policy: a single row.
import type { Database } from './sqlite'
import { statement } from './statements'

export interface PolicyRecord {
  enforcedForAll: boolean
  changedAt: number | null
  changedBy: string | null
}

export function readPolicy(db: Database): PolicyRecord {
  const row = statement(db, 'SELECT enforced_for_all, changed_at, changed_by FROM enforcement_policy WHERE id = 1').get() as
    | { enforced_for_all: number; changed_at: number | null; changed_by: string | null }
    | undefined
  if (!row) return { enforcedForAll: false, changedAt: null, changedBy: null }
  return { enforcedForAll: row.enforced_for_all === 1, changedAt: row.changed_at, changedBy: row.changed_by }
}

export function writePolicy(db: Database, enforcedForAll: boolean, by: string, now: number): void {
  statement(db, 'UPDATE enforcement_policy SET enforced_for_all = ?, changed_at = ?, changed_by = ? WHERE id = 1').run(enforcedForAll ? 1 : 0, now, by)
}
