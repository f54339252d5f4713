// SQL of the Users filters beyond the 2FA classes (src/main/core/listing/row-filters.ts):
// row tests on a user's own columns, each fixed text chosen by name. A
// *narrow* test selects a small set in practice and has a partial index in
// name order (migration 12): a list with one reads that index. A *broad* test
// is the complement of a narrow one: a row test on whatever index the list
// reads anyway (a unary + keeps SQLite off the partial indexes), counted as
// the rest of the list less the narrow set.
import type { TwoFactorClass } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'

export type NarrowTest = 'locked' | 'disabled' | 'admin' | 'special' | 'individual' | 'exempt' | 'notLocal' | 'csv' | 'ldap' | 'fewRecoveryCodes'
export type BroadTest = 'notLocked' | 'enabled' | 'user' | 'policy' | 'local'
export type RowTest = NarrowTest | BroadTest

const SPECIAL = "(u.role = 'admin' OR u.enforcement <> 'inherit')"

/** Each narrow test: its SQL (which names its index's WHERE, so the partial index applies) and its index. */
export const NARROW: Record<NarrowTest, { sql: string; index: string }> = {
  locked: { sql: 'u.locked_until IS NOT NULL AND u.locked_until > @now', index: 'users_locked_by_name' },
  disabled: { sql: 'u.disabled = 1', index: 'users_disabled_by_name' },
  special: { sql: SPECIAL, index: 'users_special_by_name' },
  // Its own index (migration 14): the special set may hold a large part of the directory after a bulk enforcement.
  admin: { sql: "u.role = 'admin'", index: 'users_admins_by_name' },
  individual: { sql: `${SPECIAL} AND u.role = 'user' AND u.enforcement = 'enforced'`, index: 'users_special_by_name' },
  exempt: { sql: `${SPECIAL} AND u.role = 'user' AND u.enforcement = 'exempt'`, index: 'users_special_by_name' },
  notLocal: { sql: "u.source <> 'local'", index: 'users_not_local_by_name' },
  csv: { sql: "u.source <> 'local' AND u.source = 'csv'", index: 'users_not_local_by_name' },
  ldap: { sql: "u.source <> 'local' AND u.source = 'ldap'", index: 'users_not_local_by_name' },
  // 3 is FEW_RECOVERY_CODES, as in the index of migration 12.
  fewRecoveryCodes: { sql: 'u.has_totp = 1 AND u.recovery_codes_left <= 3', index: 'users_few_codes_by_name' }
}

/** Each broad test: its SQL, and the narrow test it is the complement of. */
export const BROAD: Record<BroadTest, { sql: string; complement: NarrowTest }> = {
  notLocked: { sql: '(+u.locked_until IS NULL OR +u.locked_until <= @now)', complement: 'locked' },
  enabled: { sql: '+u.disabled = 0', complement: 'disabled' },
  user: { sql: "+u.role = 'user'", complement: 'admin' },
  policy: { sql: "+u.role = 'user' AND +u.enforcement = 'inherit'", complement: 'special' },
  local: { sql: "+u.source = 'local'", complement: 'notLocal' }
}

export function isNarrow(test: RowTest): test is NarrowTest {
  return test in NARROW
}

/** The tests a list reads with, and the moment the lock test compares with. */
export interface RowTests {
  tests: readonly RowTest[]
  now: number
}

/** The SQL of some row tests on `u` (`AND ...` each), and their parameters. */
export function rowTestsSql(rows: RowTests | undefined): { sql: string; params: Record<string, unknown> } {
  if (rows === undefined || rows.tests.length === 0) return { sql: '', params: {} }
  const sql = [...new Set(rows.tests)].map((test) => ` AND ${isNarrow(test) ? NARROW[test].sql : BROAD[test].sql}`).join('')
  return { sql, params: sql.includes('@now') ? { now: rows.now } : {} }
}

/** The partial index a list with these tests reads (the first narrow test's), or null when all are broad. */
export function narrowIndexOf(rows: RowTests | undefined): string | null {
  const narrow = rows?.tests.find(isNarrow)
  return narrow === undefined ? null : NARROW[narrow].index
}

/**
 * How many users of the classes pass the tests, at least one of them narrow:
 * a count of the rows of that test's partial index, never of the directory.
 */
export function countNarrow(db: Database, filter: ClassFilter): number {
  const index = narrowIndexOf(filter.rows)
  if (index === null) throw new Error('countNarrow needs a narrow test.')
  const { sql, params } = classFilterSql(filter)
  return statement(db, `SELECT count(*) FROM users u INDEXED BY ${index} WHERE 1 ${sql}`, { pluck: true }).get(params) as number
}

// ---- Class filters (with their row tests): what a list, a search and an export read ----

/** The row test of `dueBy`: administrators are always due, an individual enforcement from its deadline on. Never indexed (+, coalesce): an OR of two indexes would read every such user and sort them. */
export const DUE_BY_SQL = "(+u.role = 'admin' OR coalesce(u.enforcement_deadline, 0) <= @dueBy)"

/**
 * Which classes a filter holds (null: all), for `always` classes a deadline
 * test (see SeekQuery.dueBy), and the row tests of the filters beyond the classes.
 */
export interface ClassFilter {
  classes: readonly TwoFactorClass[] | null
  dueBy: number | null
  rows?: RowTests
}

export const ALL_CLASSES: ClassFilter = { classes: null, dueBy: null }

/** Whether a filter selects anything beyond the classes: then a search reads the users table too. */
export function hasRowTests(filter: ClassFilter): boolean {
  return (filter.rows?.tests.length ?? 0) > 0
}

/** The SQL of a class filter on `u` (with its row tests), and its parameters: the classes as one JSON parameter, so the text is the same for any number. */
export function classFilterSql(filter: ClassFilter, column = 'u.tfa_class'): { sql: string; params: Record<string, unknown> } {
  const rows = rowTestsSql(filter.rows)
  if (filter.classes === null) return rows
  const params: Record<string, unknown> = { classes: JSON.stringify(filter.classes), ...rows.params }
  let sql = `AND ${column} IN (SELECT value FROM json_each(@classes))`
  if (filter.dueBy !== null) {
    sql += ` AND (u.tfa_class NOT GLOB 'always*' OR ${DUE_BY_SQL})`
    params.dueBy = filter.dueBy
  }
  return { sql: sql + rows.sql, params }
}
