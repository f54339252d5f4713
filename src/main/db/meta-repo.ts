// SQL for small key/value facts about the database itself.
import type { Database } from './sqlite'
import { statement } from './statements'

export function readMeta(db: Database, key: string): string | null {
  const row = statement(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
  return row ? row.value : null
}

export function writeMeta(db: Database, key: string, value: string): void {
  statement(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
}

export function deleteMeta(db: Database, key: string): void {
  statement(db, 'DELETE FROM meta WHERE key = ?').run(key)
}
