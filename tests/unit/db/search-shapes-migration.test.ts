// Migration 13 (search by shape) on a directory that already has users at
// schema 12: the trigram index is written again from the users (names and
// local parts), the domain column and its index answer at once, and a search
// of every shape finds the users it found before. Migrations 14 and 15: the
// narrow filters' indexes (the administrators' own, then the email in each).
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion } from '../../../src/main/db/migrations'
import { countMatches, findMatchingUserIds, ALL_CLASSES } from '../../../src/main/db/listing-repo'
import { insertUser } from '../../../src/main/db/users-repo'
import { narrowMatches } from '../../../src/main/db/search-page-repo'
import { searchTerm } from '../../../src/main/core/listing/search-term'

describe('migration 13 on a directory at schema 12', () => {
  it('writes the search index again from the users, and every shape finds them', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 12))
    expect(schemaVersion(db)).toBe(12)
    const people = [
      ['Maria Garcia', 'maria.garcia@example.org'],
      ['Bob Smith', 'bsmith@corp.example.com'],
      ['Łukasz Nowak', 'lukasz@eu.example.com']
    ] as const
    const ids = people.map(([name, email]) => insertUser(db, { name, email, role: 'user', passwordHash: null, now: 0 }))
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 13))
    expect(schemaVersion(db)).toBe(13)
    expect(db.prepare('SELECT count(*) FROM users_search').pluck().get()).toBe(people.length)
    const find = (text: string) => findMatchingUserIds(db, searchTerm(text)!, ALL_CLASSES, -1).sort((a, b) => a - b)
    expect(find('MARIA.GARCIA@EXAMPLE.ORG')).toEqual([ids[0]])
    expect(find('@corp.example')).toEqual([ids[1]])
    expect(find('example.com')).toEqual([ids[1], ids[2]])
    expect(find('smith')).toEqual([ids[1]])
    expect(find('łu')).toEqual([])
    expect(find('Łu')).toEqual([ids[2]])
    expect(find('lu')).toEqual([ids[2]])
    expect(countMatches(db, searchTerm('example')!, ALL_CLASSES)).toBe(3)
    expect(db.prepare("SELECT email_domain FROM users WHERE id = ?").pluck().get(ids[1])).toBe('corp.example.com')
    db.close()
  })
})

describe('migration 14 on a directory at schema 13', () => {
  it('indexes the administrators already there, and every administrator added later', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 13))
    const before = ['Ada Admin', 'Grace Admin'].map((name, i) => insertUser(db, { name, email: `admin${i}@example.com`, role: 'admin', passwordHash: null, now: 0 }))
    insertUser(db, { name: 'Maria Garcia', email: 'maria@example.com', role: 'user', passwordHash: null, now: 0 })
    migrate(db)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    const after = insertUser(db, { name: 'Alan Admin', email: 'alan@example.com', role: 'admin', passwordHash: null, now: 0 })
    const admins = () => db.prepare("SELECT id FROM users INDEXED BY users_admins_by_name WHERE role = 'admin' ORDER BY name_key, id").pluck().all()
    expect(admins()).toEqual([before[0], after, before[1]])
    db.prepare("UPDATE users SET role = 'user' WHERE id = ?").run(before[1])
    expect(admins()).toEqual([before[0], after])
    db.close()
  })
})

describe('migration 15 on a directory at schema 14', () => {
  it("gives every narrow filter's index the email, keeps what each holds, and a search within one finds the same users", () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 14))
    const admin = insertUser(db, { name: 'Ada Admin', email: 'ada.lovelace@example.com', role: 'admin', passwordHash: null, now: 0 })
    const other = insertUser(db, { name: 'Grace Admin', email: 'grace@example.com', role: 'admin', passwordHash: null, now: 0 })
    const user = insertUser(db, { name: 'Ada User', email: 'ada.user@example.com', role: 'user', passwordHash: null, now: 0 })
    db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(user)
    const where: Record<string, string> = {
      users_locked_by_name: 'locked_until IS NOT NULL',
      users_disabled_by_name: 'disabled = 1',
      users_not_local_by_name: "source <> 'local'",
      users_special_by_name: "(role = 'admin' OR enforcement <> 'inherit')",
      users_few_codes_by_name: 'has_totp = 1 AND recovery_codes_left <= 3',
      users_admins_by_name: "role = 'admin'"
    }
    const narrow = Object.keys(where)
    const holds = (index: string) => db.prepare(`SELECT id FROM users INDEXED BY ${index} WHERE ${where[index]} ORDER BY name_key, id`).pluck().all()
    const before = narrow.map(holds)
    migrate(db)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    for (const index of narrow) {
      const columns = (db.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((column) => column.name)
      expect(columns.slice(0, 3), index).toEqual(['name_key', 'id', 'email'])
    }
    expect(narrow.map(holds)).toEqual(before)
    expect(holds('users_admins_by_name')).toEqual([admin, other])
    expect(holds('users_disabled_by_name')).toEqual([user])
    const filter = { classes: null, dueBy: null, rows: { tests: ['admin' as const], now: 0 } }
    expect(narrowMatches(db, { kind: 'substring', text: 'ADA.LOVE' }, filter, 10)).toEqual([admin])
    expect(narrowMatches(db, { kind: 'prefix', text: 'gr' }, filter, 10)).toEqual([other])
    db.close()
  })
})
