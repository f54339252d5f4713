// Users are read as arrays by column positions found once per kept statement
// (users-repo.ts). A newer app or the command line sharing the file may add a
// column to users while this connection keeps its statements: the rows must
// keep their shape, or every position after the new column would read its
// neighbour (found by a review: activeSince read the new column).
import BetterSqlite3 from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { usersInOrder, pageOfMatches } from '../../../src/main/db/listing-repo'
import { migrate, MIGRATIONS } from '../../../src/main/db/migrations'
import { findUserById, insertUser } from '../../../src/main/db/users-repo'

describe('a column added to users by another connection while statements are kept', () => {
  it('leaves every user read as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'user-rows-'))
    const file = join(dir, 'directory.db')
    const app = new BetterSqlite3(file)
    try {
      migrate(app)
      const id = insertUser(app, { name: 'Maria Garcia', email: 'maria@example.com', role: 'user', passwordHash: null, now: 0 })
      const page = { ids: [id], order: 'name' as const, direction: 'asc' as const, limit: 10, now: 0 }
      // Each reader's statement is kept with its positions.
      const before = [findUserById(app, id), usersInOrder(app, [id])[0], pageOfMatches(app, page)[0]]
      expect(before[0]).toMatchObject({ name: 'Maria Garcia', activeSince: null, enforcementDeadline: null })
      const newer = new BetterSqlite3(file)
      migrate(newer, [...MIGRATIONS, { version: 99, description: 'a later column', up: (db) => db.exec("ALTER TABLE users ADD COLUMN later TEXT NOT NULL DEFAULT 'later'") }])
      newer.close()
      expect([findUserById(app, id), usersInOrder(app, [id])[0], pageOfMatches(app, page)[0]]).toEqual(before)
    } finally {
      app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
