// SQL for the global enforcement policy: a single row (enforced for all users
// or not, its deadline, and the exemption group).
import type { Database } from './sqlite'
import { statement } from './statements'

export interface PolicyRecord {
  enforcedForAll: boolean
  changedAt: number | null
  changedBy: string | null
  /** While enforced for all: activation due by (epoch ms). */
  deadline: number | null
  exemptGroupId: number | null
}

export function readPolicy(db: Database): PolicyRecord {
  const row = statement(db, 'SELECT enforced_for_all, changed_at, changed_by, deadline, exempt_group_id FROM enforcement_policy WHERE id = 1').get() as
    | { enforced_for_all: number; changed_at: number | null; changed_by: string | null; deadline: number | null; exempt_group_id: number | null }
    | undefined
  if (!row) return { enforcedForAll: false, changedAt: null, changedBy: null, deadline: null, exemptGroupId: null }
  return {
    enforcedForAll: row.enforced_for_all === 1,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
    deadline: row.enforced_for_all === 1 ? (row.deadline ?? row.changed_at ?? 0) : null,
    exemptGroupId: row.exempt_group_id
  }
}

/** Enforces for all users (due by `deadline`) or revokes (deadline null). */
export function writePolicy(db: Database, enforcedForAll: boolean, by: string, now: number, deadline: number | null = enforcedForAll ? now : null): void {
  statement(db, 'UPDATE enforcement_policy SET enforced_for_all = ?, changed_at = ?, changed_by = ?, deadline = ? WHERE id = 1').run(
    enforcedForAll ? 1 : 0,
    now,
    by,
    deadline
  )
}

/** Moves the deadline of an enforcement for all users (the admin changed the grace period). */
export function writePolicyDeadline(db: Database, deadline: number): void {
  statement(db, 'UPDATE enforcement_policy SET deadline = ? WHERE id = 1').run(deadline)
}

export function writeExemptGroup(db: Database, groupId: number | null): void {
  statement(db, 'UPDATE enforcement_policy SET exempt_group_id = ? WHERE id = 1').run(groupId)
}
