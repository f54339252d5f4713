// Setting schema objects aside for the length of a bulk write: drop them inside
// the caller's transaction, do the work, create them again from the very SQL
// the schema held. Sorting once per index beats moving every changed row in
// every B-tree when a change touches a large share of a table. DDL is
// transactional in SQLite: if the work (or the process) fails, the schema is as
// it was. Used by the demo seed (demo-repo.ts) and by bulk changes (bulk-repo.ts).
import type { Database } from './sqlite'

export interface SchemaItem {
  type: 'index' | 'trigger'
  name: string
  sql: string
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Runs `work` with these indexes and triggers dropped, then creates them again; only inside a transaction. */
export function withSetAside<T>(db: Database, items: readonly SchemaItem[], work: () => T): T {
  if (!db.inTransaction) throw new Error('withSetAside must run inside a transaction.')
  for (const item of items) db.exec(`DROP ${item.type === 'index' ? 'INDEX' : 'TRIGGER'} ${quoteIdentifier(item.name)}`)
  const result = work()
  for (const item of items) db.exec(item.sql)
  return result
}
