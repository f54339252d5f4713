// Prepared statements, kept per connection: preparing costs more than running
// most of the queries on a hot path (a page of users, a sign-in), so each SQL
// text is compiled once. Only for statements run with get/all/run, never with
// iterate(), whose open cursor a nested call of the same statement would break.
//
// At most MAX_STATEMENTS are kept, the most recently used: a search's SQL
// depends on how many words its term's pieces hold (search-words-repo.ts,
// search-pieces-repo.ts), so a connection that answers searches for months
// would otherwise keep every shape it ever compiled.
import type BetterSqlite3 from 'better-sqlite3'
import type { Database } from './sqlite'

/** Statements a connection keeps at most (the repositories ask for them from some 140 places, a few with SQL that varies). */
export const MAX_STATEMENTS = 1024

const caches = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>()

/** The statement for this SQL on this connection; `pluck` statements return the first column's value, `raw` ones each row as an array. */
export function statement(db: Database, sql: string, options: { pluck?: boolean; raw?: boolean } = {}): BetterSqlite3.Statement {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const key = options.pluck ? `pluck:${sql}` : options.raw ? `raw:${sql}` : sql
  let prepared = cache.get(key)
  if (prepared) {
    // The most recently used last (a Map keeps its insertion order): the first is the one to let go.
    cache.delete(key)
    cache.set(key, prepared)
    return prepared
  }
  prepared = db.prepare(sql)
  if (options.pluck) prepared.pluck()
  else if (options.raw) prepared.raw(true)
  cache.set(key, prepared)
  if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!)
  return prepared
}
