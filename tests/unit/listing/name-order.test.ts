// Names sort the way people read them (issue 13): accented letters with their
// base letter ("Łukasz" between "Lucas" and "Luna", "Yılmaz" next to "Young"),
// case ignored, the name and the id breaking ties; the key the repositories
// store is that function's, for every way a name is written (added, renamed,
// seeded, synced from the directory), the migration gives existing rows
// theirs, and keyset pages and jumps across accented names return each user once.
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { foldName, nameSortKey } from '../../../src/shared/name-key'
import { plainPolicy } from '../../../src/main/core/enforcement/rules'
import { compareNoCase, listUserRecords } from '../../../src/main/core/listing/user-listing'
import type { Database } from '../../../src/main/db/connection'
import { updateDirectoryIdentity } from '../../../src/main/db/directory-repo'
import { migrate, MIGRATIONS } from '../../../src/main/db/migrations'
import { insertUser, updateProfile } from '../../../src/main/db/users-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

/** Names in the order a reader expects them. */
const READING_ORDER = [
  'Ada Åberg',
  'Adam Smith',
  'Émile Durand',
  'Emma Stone',
  'Lucas Meyer',
  'Łukasz Nowak',
  'Luna Park',
  'Ørjan Berg',
  'Oscar Wilde',
  'Søren Kierkegaard',
  'Stefan Straße',
  'Stefan Strasser',
  'Yates Brown',
  'Yılmaz Demir',
  'Young Kim',
  'Zoë Adams'
]

function sortedByKey(names: readonly string[]): string[] {
  return [...names].sort((a, b) => compareNoCase(nameSortKey(a), nameSortKey(b)))
}

describe('the name key', () => {
  it('folds accents and the letters decomposition leaves whole, and ignores case', () => {
    expect(foldName('Łukasz')).toBe('lukasz')
    expect(foldName('Yılmaz')).toBe('yilmaz')
    expect(foldName('Ørjan Søren')).toBe('orjan soren')
    expect(foldName('Straße Æsir Œuvre Þór Đorđe İstanbul')).toBe('strasse aesir oeuvre thor dorde istanbul')
    expect(foldName('Émile Zoë ﬀ')).toBe('emile zoe ff')
    expect(foldName('MARIA')).toBe(foldName('maria'))
  })

  it('puts "Łukasz" between "Lucas" and "Luna", "Yılmaz" next to "Young", and every name where a reader looks for it', () => {
    expect(sortedByKey(['Luna', 'Łukasz', 'Lucas'])).toEqual(['Lucas', 'Łukasz', 'Luna'])
    expect(sortedByKey(['Young', 'Zed', 'Yates', 'Yılmaz'])).toEqual(['Yates', 'Yılmaz', 'Young', 'Zed'])
    expect(sortedByKey([...READING_ORDER].reverse())).toEqual(READING_ORDER)
  })

  it('breaks ties by the name itself (accents apart, ASCII case ignored), and the id breaks the rest', () => {
    const compare = (a: string, b: string) => compareNoCase(nameSortKey(a), nameSortKey(b))
    // Accented and plain: one order whatever the input order.
    expect(sortedByKey(['Émile', 'Emile', 'émile'])).toEqual(sortedByKey(['émile', 'Emile', 'Émile']))
    expect(compare('Emile', 'Émile')).not.toBe(0)
    // Case variants alone tie (as NOCASE compares): the id orders them in the database.
    expect(compare('EMILE', 'emile')).toBe(0)
  })

  it('is what SQLite writes itself for an ASCII name written without a key (the fallback trigger)', () => {
    for (const name of ['Maria Garcia', 'o\'Brien-Smith', 'ZZ top 9']) expect(nameSortKey(name)).toBe(`${name.toLowerCase()}\u0001${name}`)
  })
})

describe('names in the database', () => {
  let demo: DemoDatabase
  let db: Database
  beforeAll(() => {
    demo = seededDatabase(2000, 21)
    db = demo.db
    db.transaction(() => READING_ORDER.forEach((name, i) => insertUser(db, { name, email: `reader${i}@example.com`, role: 'user', passwordHash: null, now: 0 })))()
  }, 60_000)
  afterAll(() => demo.dispose())

  const mismatches = () =>
    (db.prepare('SELECT name, name_key FROM users').all() as { name: string; name_key: string }[]).filter((row) => row.name_key !== nameSortKey(row.name))

  it('every stored key is the function\'s: seeded, added, renamed, synced from the directory', () => {
    expect(mismatches()).toEqual([])
    const id = db.prepare("SELECT id FROM users WHERE email = 'reader0@example.com'").pluck().get() as number
    updateProfile(db, id, { name: 'Ångström Åsa' }, 1)
    expect(db.prepare('SELECT name_key FROM users WHERE id = ?').pluck().get(id)).toBe(nameSortKey('Ångström Åsa'))
    updateDirectoryIdentity(db, id, { email: 'reader0@example.com', name: 'Ægir Ødegaard', directoryDn: 'cn=x', directoryId: 'x' }, 2)
    expect(db.prepare('SELECT name_key FROM users WHERE id = ?').pluck().get(id)).toBe(nameSortKey('Ægir Ødegaard'))
    updateProfile(db, id, { name: READING_ORDER[0]! }, 3)
    expect(mismatches()).toEqual([])
  })

  it('a name written by plain SQL, without the repositories, still gets a key (ASCII exact)', () => {
    db.prepare("INSERT INTO users (name, email, role, created_at, updated_at) VALUES ('Plain Sql', 'plain@example.com', 'user', 0, 0)").run()
    expect(db.prepare("SELECT name_key FROM users WHERE email = 'plain@example.com'").pluck().get()).toBe(nameSortKey('Plain Sql'))
    db.prepare("UPDATE users SET name = 'Plainer Sql' WHERE email = 'plain@example.com'").run()
    expect(db.prepare("SELECT name_key FROM users WHERE email = 'plain@example.com'").pluck().get()).toBe(nameSortKey('Plainer Sql'))
  })

  it('the Users list by name reads in reading order, keyset pages and jumps give each user once, both directions', () => {
    const readers = (records: { email: string; name: string }[]) => records.filter((user) => user.email.startsWith('reader')).map((user) => user.name)
    for (const direction of ['asc', 'desc'] as const) {
      const names: string[] = []
      const ids: number[] = []
      let cursor: string | undefined
      do {
        const page = listUserRecords(db, { sort: 'name', direction, limit: 73, policy: plainPolicy(false), now: 0, ...(cursor ? { cursor } : {}) })
        names.push(...readers(page.records))
        ids.push(...page.records.map((user) => user.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      expect(names).toEqual(direction === 'asc' ? READING_ORDER : [...READING_ORDER].reverse())
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.length).toBe(db.prepare('SELECT count(*) FROM users').pluck().get())
      // Jumps land on the same rows the pages hold.
      for (const position of [0, 1, 999, ids.length - 1]) {
        const page = listUserRecords(db, { sort: 'name', direction, limit: 5, policy: plainPolicy(false), now: 0, position })
        expect(page.records.map((user) => user.id)).toEqual(ids.slice(position, position + 5))
      }
    }
  })

  it('sorting by role or status keeps the reading order within each group, and a search page too', () => {
    const byRole = listUserRecords(db, { sort: 'role', direction: 'asc', limit: 5000, policy: plainPolicy(false), now: 0 })
    expect(byRole.records.filter((user) => user.email.startsWith('reader')).map((user) => user.name)).toEqual(READING_ORDER)
    const search = listUserRecords(db, { sort: 'name', direction: 'asc', limit: 100, policy: plainPolicy(false), now: 0, query: 'reader' })
    expect(search.records.map((user) => user.name)).toEqual(READING_ORDER)
  })
})

describe('migration 12 on a directory written before it', () => {
  it('gives every existing name its key, in batches, and rebuilds the name indexes on it', () => {
    const db = new BetterSqlite3(':memory:')
    try {
      const before = MIGRATIONS.filter((step) => step.version < 12)
      migrate(db, before)
      const insert = db.prepare("INSERT INTO users (name, email, role, created_at, updated_at) VALUES (?, ?, 'user', 0, 0)")
      db.transaction(() => {
        for (let i = 0; i < 25_000; i++) insert.run(READING_ORDER[i % READING_ORDER.length], `u${i}@example.com`)
      })()
      migrate(db)
      const wrong = (db.prepare('SELECT name, name_key FROM users').all() as { name: string; name_key: string }[]).filter((row) => row.name_key !== nameSortKey(row.name))
      expect(wrong).toEqual([])
      const indexes = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ('users_by_role', 'users_by_class_name', 'users_by_class_role', 'users_by_name_key')").all() as { name: string; sql: string }[]
      expect(indexes).toHaveLength(4)
      for (const index of indexes) expect(index.sql, index.name).toContain('name_key')
    } finally {
      db.close()
    }
  })
})
