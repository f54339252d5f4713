// Migration 13 (search by shape) on a directory that already has users at
// schema 12: the trigram index is written again from the users (names and
// local parts), the domain column and its index answer at once, and a search
// of every shape finds the users it found before. Migrations 14 and 15: the
// narrow filters' indexes (the administrators' own, then the email in each).
// Migration 16: the index of local parts' ends. Migration 17: each class's name
// and email indexes carry the other text.
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion } from '../../../src/main/db/migrations'
import { countMatches, findMatchingUserIds, ALL_CLASSES } from '../../../src/main/db/listing-repo'
import { narrowMatches } from '../../../src/main/db/search-page-repo'
import { searchTerm } from '../../../src/main/core/listing/search-term'
import { nameSortKey } from '../../../src/shared/name-key'
import { insertUser as addUser } from '../../../src/main/db/users-repo'
import { updateDirectoryIdentity } from '../../../src/main/db/directory-repo'

/** A user written as a build of that schema wrote them (the repositories of today write columns that came later). */
function insertUser(db: BetterSqlite3.Database, user: { name: string; email: string; role: 'user' | 'admin'; passwordHash: null; now: number }): number {
  const insert = db.prepare('INSERT INTO users (name, name_key, email, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  return Number(insert.run(user.name, nameSortKey(user.name), user.email, user.role, user.passwordHash, user.now, user.now).lastInsertRowid)
}

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
    // Searched as today's build searches (a term with an @ reads the index of migration 16).
    migrate(db)
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

describe('migration 16 on a directory at schema 15', () => {
  it("writes the end of every local part already there; today's writers keep it, and users written without it are still found", () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 15))
    const before = [
      ['Elena Petrov', 'Elena.Petrov9@eu.example.com'],
      ['Xelena Petrov', 'xelena.petrov9@eu.example.com.au'],
      ['Ab Cd', 'ab@corp.example'],
      ['Żaneta Łuk', 'żaneta.ŁUK@example.pl']
    ].map(([name, email]) => insertUser(db, { name: name!, email: email!, role: 'user', passwordHash: null, now: 0 }))
    migrate(db)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    const rev = (id: number) => db.prepare('SELECT email_local_rev FROM users WHERE id = ?').pluck().get(id)
    expect(before.map(rev)).toEqual(['9vortep.anele', '9vortep.anelex', 'ba', 'kuŁ.atenaż'])
    const find = (text: string) => findMatchingUserIds(db, searchTerm(text)!, ALL_CLASSES, -1).sort((a, b) => a - b)
    expect(find('elena.petrov9@eu.example.com')).toEqual([before[0], before[1]])
    expect(find('ELENA.PETROV9@EU.EXAMPLE.COM.AU')).toEqual([before[1]])
    expect(find('b@c')).toEqual([before[2]])
    expect(find('ab@')).toEqual([before[2]])
    expect(find('ŁUK@')).toEqual([before[3]])
    expect(find('łuk@')).toEqual([])

    // Today's repositories write it: a new user, and a directory user whose email changed.
    const added = addUser(db, { name: 'Nina Petrov', email: 'NINA.PETROV9@eu.example.com', role: 'user', passwordHash: null, now: 0 })
    expect(rev(added)).toBe('9vortep.anin')
    updateDirectoryIdentity(db, before[2]!, { email: 'zz.top@corp.example', name: 'Ab Cd', directoryDn: 'cn=ab', directoryId: 'ab' }, 1)
    expect(rev(before[2]!)).toBe('pot.zz')
    expect(find('ab@')).toEqual([])
    expect(find('top@corp')).toEqual([before[2]])
    expect(find('petrov9@eu.example.com')).toEqual([before[0], before[1], added])

    // Written without it (another tool): NULL, still found; a local part changed without it: NULL again, found by its new address.
    const raw = insertUser(db, { name: 'Raw Petrov', email: 'raw.petrov9@eu.example.com', role: 'user', passwordHash: null, now: 0 })
    expect(rev(raw)).toBeNull()
    db.prepare("UPDATE users SET email = 'renamed@eu.example.com' WHERE id = ?").run(before[0])
    expect(rev(before[0]!)).toBeNull()
    db.prepare("UPDATE users SET email = 'nina.petrov9@example.org' WHERE id = ?").run(added)
    expect(rev(added)).toBe('9vortep.anin')
    expect(find('petrov9@eu.example.com')).toEqual([before[1], raw])
    expect(find('renamed@eu')).toEqual([before[0]])
    expect(countMatches(db, searchTerm('petrov9@')!, ALL_CLASSES)).toBe(3)
    db.close()
  })
})

describe('migration 17 on a directory at schema 16', () => {
  it("writes each class's name and email indexes again with the other text, holding every user already there and later", () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 16))
    const before = ['Maria Garcia', 'Bob Smith', 'Ana Lopez'].map((name, i) => insertUser(db, { name, email: `user${i}@example.com`, role: i === 2 ? 'admin' : 'user', passwordHash: null, now: 0 }))
    migrate(db)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    const columns = (index: string) => (db.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((column) => column.name)
    expect(columns('users_by_class_name')).toEqual(['tfa_class', 'name_key', 'id', 'email'])
    expect(columns('users_by_class_email')).toEqual(['tfa_class', 'email', 'id', 'name_key'])
    const after = addUser(db, { name: 'Zed Quinn', email: 'zed@example.com', role: 'user', passwordHash: null, now: 0 })
    const read = (index: string, order: string) =>
      db.prepare(`SELECT u.id, u.email FROM users u INDEXED BY ${index} WHERE u.tfa_class IN (SELECT DISTINCT tfa_class FROM users) ORDER BY ${order}`).all() as { id: number; email: string }[]
    const everyone = [...before, after].sort((a, b) => a - b)
    expect(read('users_by_class_name', 'u.id').map((row) => row.id)).toEqual(everyone)
    expect(read('users_by_class_email', 'u.id').map((row) => `${row.id} ${row.email}`)).toEqual(everyone.map((id) => `${id} ${db.prepare('SELECT email FROM users WHERE id = ?').pluck().get(id) as string}`))
    db.close()
  })
})
