// The prepared statements a connection keeps: each SQL text compiled once while
// it is in use, and no more than MAX_STATEMENTS kept, the least recently used
// let go first (a search's SQL varies with its words: a long-running app would
// otherwise keep every shape it ever compiled).
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_STATEMENTS, statement } from '../../../src/main/db/statements'
import type { Database } from '../../../src/main/db/sqlite'

let db: Database
afterEach(() => db.close())

describe('the statements a connection keeps', () => {
  it('compiles a text once, and lets the least recently used go past the bound', () => {
    db = new BetterSqlite3(':memory:') as unknown as Database
    const kept = statement(db, 'SELECT 1 AS kept')
    const dropped = statement(db, 'SELECT 2 AS dropped')
    expect(statement(db, 'SELECT 1 AS kept')).toBe(kept)
    for (let i = 0; i < MAX_STATEMENTS - 2; i++) {
      statement(db, `SELECT ${i} AS n`)
      // Used all along: always the most recent of the two.
      if (i % 100 === 0) expect(statement(db, 'SELECT 1 AS kept')).toBe(kept)
    }
    // One more than the bound: the oldest, "dropped", goes; "kept" was used since.
    statement(db, 'SELECT -1 AS n')
    expect(statement(db, 'SELECT 1 AS kept')).toBe(kept)
    const again = statement(db, 'SELECT 2 AS dropped')
    expect(again).not.toBe(dropped)
    expect(again.get()).toEqual({ dropped: 2 })
  })

  it('keeps plucked, raw and plain statements of one text apart', () => {
    db = new BetterSqlite3(':memory:') as unknown as Database
    expect(statement(db, 'SELECT 7 AS n').get()).toEqual({ n: 7 })
    expect(statement(db, 'SELECT 7 AS n', { pluck: true }).get()).toBe(7)
    expect(statement(db, 'SELECT 7 AS n', { raw: true }).get()).toEqual([7])
  })
})
