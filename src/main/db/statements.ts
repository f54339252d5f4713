// Prepared statements, kept per connection: preparing costs more than running
// most of the queries on a hot path (a page of users, a sign-in), so each SQL
// text is compiled once. Only for statements run with get/all/run, never with
// iterate(), whose open cursor a nested call of the same statement would break.
import type BetterSqlite3 from 'better-sqlite3'
import type { Database } from './sqlite'

const caches = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>()

/** The statement for this SQL on this connection; `pluck` statements return the first column's value, `raw` ones each row as an array. */
export function statement(db: Database, sql: string, options: { pluck?: boolean; raw?: boolean } = {}): BetterSqlite3.Statement {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const key = options.pluck ? `pluck:${sql}` : options.raw ? `raw:${sql}` : sql
  let prepared = cache.get(key)
  if (!prepared) {
    prepared = db.prepare(sql)
    if (options.pluck) prepared.pluck()
    else if (options.raw) prepared.raw(true)
    cache.set(key, prepared)
  }
  return prepared
}
