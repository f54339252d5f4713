// Earlier days of the 2FA trend, written into the preview's file as the app
// would have recorded them (distribution_history, migration 10).
import BetterSqlite3 from 'better-sqlite3'

const DAY_MS = 86_400_000

export interface HistoryDay {
  daysAgo: number
  active: number
  pending: number
  inactive: number
}

export function seedHistory(dbPath: string, days: HistoryDay[]): void {
  const db = new BetterSqlite3(dbPath)
  try {
    const insert = db.prepare('INSERT INTO distribution_history (day, recorded_at, total, active, pending, inactive, overdue) VALUES (?, ?, ?, ?, ?, ?, NULL)')
    for (const row of days) {
      const at = Date.now() - row.daysAgo * DAY_MS
      insert.run(Math.floor(at / DAY_MS), at, row.active + row.pending + row.inactive, row.active, row.pending, row.inactive)
    }
  } finally {
    db.close()
  }
}
