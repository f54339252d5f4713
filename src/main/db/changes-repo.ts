// SQL for noticing that the directory changed: what every open screen asks
// every second or two, so one statement without a table read.
import type { Database } from './sqlite'
import { statement } from './statements'

export interface ChangeCounters {
  /** Moves when another connection (another process, a worker thread) commits a change to the file. */
  dataVersion: number
  /**
   * Rows this connection inserted, updated or deleted since it opened: data_version
   * never moves for a connection's own commits. A rolled-back change counts too,
   * which only costs the screens one needless look.
   */
  ownChanges: number
}

export function readChangeCounters(db: Database): ChangeCounters {
  const row = statement(db, 'SELECT (SELECT data_version FROM pragma_data_version) AS dataVersion, total_changes() AS ownChanges').get() as ChangeCounters
  return row
}
