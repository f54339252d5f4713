// SQL of the 2FA distribution over time (migration 10): one row per UTC day,
// by its day number since 1970, read and pruned by ranges of the primary key.
import type { Database } from './sqlite'
import { statement } from './statements'

export interface DistributionRecord {
  /** Days since 1970-01-01, UTC. */
  day: number
  recordedAt: number
  total: number
  active: number
  pending: number
  inactive: number
  overdue: number | null
}

interface DistributionRow {
  day: number
  recorded_at: number
  total: number
  active: number
  pending: number
  inactive: number
  overdue: number | null
}

const toRecord = (row: DistributionRow): DistributionRecord => ({
  day: row.day,
  recordedAt: row.recorded_at,
  total: row.total,
  active: row.active,
  pending: row.pending,
  inactive: row.inactive,
  overdue: row.overdue
})

/** The SQL of the reads and the pruning, exported for EXPLAIN QUERY PLAN in the tests. */
export const HISTORY_SQL = {
  find: 'SELECT * FROM distribution_history WHERE day = ?',
  list: 'SELECT * FROM distribution_history WHERE day BETWEEN ? AND ? ORDER BY day',
  prune: 'DELETE FROM distribution_history WHERE day < ?'
} as const

/** Writes the day's row, replacing what an earlier recording of the same day wrote. */
export function upsertDistribution(db: Database, record: DistributionRecord): void {
  statement(
    db,
    `INSERT INTO distribution_history (day, recorded_at, total, active, pending, inactive, overdue)
     VALUES (@day, @recordedAt, @total, @active, @pending, @inactive, @overdue)
     ON CONFLICT (day) DO UPDATE SET recorded_at = excluded.recorded_at, total = excluded.total, active = excluded.active,
       pending = excluded.pending, inactive = excluded.inactive, overdue = excluded.overdue`
  ).run(record)
}

export function findDistribution(db: Database, day: number): DistributionRecord | null {
  const row = statement(db, HISTORY_SQL.find).get(day) as DistributionRow | undefined
  return row ? toRecord(row) : null
}

/** The rows from `fromDay` to `toDay` (both included), oldest first. */
export function listDistributions(db: Database, fromDay: number, toDay: number): DistributionRecord[] {
  return (statement(db, HISTORY_SQL.list).all(fromDay, toDay) as DistributionRow[]).map(toRecord)
}

/** Forgets the days before `firstKeptDay`; returns how many rows went. */
export function pruneDistributions(db: Database, firstKeptDay: number): number {
  return statement(db, HISTORY_SQL.prune).run(firstKeptDay).changes
}
