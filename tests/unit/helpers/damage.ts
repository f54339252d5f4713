// Damage a database file the way a failing disk or a stray write would.
import { closeSync, openSync, writeSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'

/**
 * Overwrites the b-tree header of a table's root page in the file itself, after
 * folding the WAL into the file so the damage is what SQLite reads next.
 */
export function damageTable(path: string, table: string): void {
  const raw = new BetterSqlite3(path)
  raw.pragma('wal_checkpoint(TRUNCATE)')
  const pageSize = raw.pragma('page_size', { simple: true }) as number
  const rootPage = raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(table) as number
  raw.close()
  const fd = openSync(path, 'r+')
  try {
    writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (rootPage - 1) * pageSize)
  } finally {
    closeSync(fd)
  }
}
