// Migration 13 (search by shape) on a directory that already has users at
// schema 12: the trigram index is written again from the users (names and
// local parts), the domain column and its index answer at once, and a search
// of every shape finds the users it found before.
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion } from '../../../src/main/db/migrations'
import { countMatches, findMatchingUserIds, ALL_CLASSES } from '../../../src/main/db/listing-repo'
import { insertUser } from '../../../src/main/db/users-repo'
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
