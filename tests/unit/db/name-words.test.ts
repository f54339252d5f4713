// The words index of migrations 20 to 22 (user_words, user_words_by_email, search_words,
// words_search) is kept by triggers through every change of a name, an email or a name key, and
// by the bulk load of the demo seed: after each, it holds exactly what an
// independent reading of the users says, and the page's SQL merges the words'
// ranges in order without sorting them.
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS, schemaVersion } from '../../../src/main/db/migrations'
import { wordsOfPiece } from '../../../src/main/db/search-pieces-repo'
import { insertUser, updateProfile } from '../../../src/main/db/users-repo'
import { ALL_CLASSES } from '../../../src/main/db/row-filter-repo'
import { wordsPageStatement } from '../../../src/main/db/search-words-repo'
import { isOneWord } from '../../../src/main/db/name-words'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

let demo: DemoDatabase
beforeAll(() => {
  demo = seededDatabase(2_000, 3)
})
afterAll(() => demo.dispose())

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** A user's words, written apart from the SQL: runs of what is not a space, . - _ ' + , @ \ or a digit (nor U+001F). */
function wordsOf(name: string, email: string): string[] {
  const local = email.slice(0, email.indexOf('@'))
  const words = `${lowerAscii(name)} ${lowerAscii(local)}`.split(/[ .\-_'+,@\\0-9\u001f]+/u).filter((word) => word !== '')
  return [...new Set(words)].sort()
}

/** Every check of the three tables against the users. */
function expectIndexTrue(): void {
  const db = demo.db
  const users = db.prepare('SELECT id, name, email, name_key FROM users').all() as { id: number; name: string; email: string; name_key: string }[]
  const want = users.flatMap((user) => wordsOf(user.name, user.email).map((word) => `${word}|${user.name_key}|${user.id}`)).sort()
  const got = (db.prepare('SELECT word, name_key, id FROM user_words').raw().all() as [string, string, number][]).map((row) => row.join('|')).sort()
  expect(got).toEqual(want)
  // The same words in email order (migration 22).
  const wantByEmail = users.flatMap((user) => wordsOf(user.name, user.email).map((word) => `${word}|${user.email}|${user.id}`)).sort()
  const gotByEmail = (db.prepare('SELECT word, email, id FROM user_words_by_email').raw().all() as [string, string, number][]).map((row) => row.join('|')).sort()
  expect(gotByEmail).toEqual(wantByEmail)
  const counts = new Map<string, number>()
  for (const entry of want) counts.set(entry.split('|')[0]!, (counts.get(entry.split('|')[0]!) ?? 0) + 1)
  const stored = db.prepare('SELECT word, users FROM search_words ORDER BY word').raw().all() as [string, number][]
  expect(stored).toEqual([...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
  // The trigram index of the words finds each word by a substring of it, and no word that is gone.
  for (const [word] of stored.slice(0, 40)) {
    const found = db.prepare("SELECT w.word FROM words_search f JOIN search_words w ON w.id = f.rowid WHERE words_search MATCH ?").pluck().all(`"${word.replace(/"/g, '""')}"`) as string[]
    if ([...word].length >= 3) expect(found, word).toContain(word)
    // And by its last one or two characters before the two end marks (migration 21).
    const chars = [...word]
    for (const end of [chars.slice(-1).join(''), chars.slice(-2).join('')]) {
      const marks = [...end].length === 1 ? '\u001f\u001f' : '\u001f'
      const ending = db.prepare('SELECT w.word FROM words_search f JOIN search_words w ON w.id = f.rowid WHERE words_search MATCH ?').pluck().all(`"${(end + marks).replace(/"/g, '""')}"`) as string[]
      expect(ending, `${word} by ${end}`).toContain(word)
      expect(ending.every((other) => other.endsWith(end)), `${word} by ${end}`).toBe(true)
    }
  }
  expect(db.prepare('SELECT count(*) FROM words_search').pluck().get()).toBe(stored.length)
}

describe('the words of names and local parts', () => {
  it('the demo seed fills them in bulk as the triggers would', () => {
    expectIndexTrue()
  })

  it('follow every insert, rename, change of email and delete, with the separators, quotes and controls a name may hold', () => {
    const db = demo.db
    const ids = [
      ["Maria O'Brien-Smith", 'maria.obrien14@x.example.org'],
      ['Quote "Q" Back\\slash', 'q_b+tag@example.org'],
      [`Ctl${String.fromCharCode(1)}name Tab\tX`, 'ctl@example.org'],
      ['Łukasz  Nowak', 'lu..k@example.org'],
      ['Zz', 'zz@example.org']
    ].map(([name, email]) => insertUser(db, { name: name!, email: email!, role: 'user', passwordHash: null, now: 0 }))
    expectIndexTrue()
    updateProfile(db, ids[0]!, { name: 'Mariana Obrien' }, 1)
    db.prepare("UPDATE users SET email = 'new.address@example.net' WHERE id = ?").run(ids[1])
    db.prepare("UPDATE users SET name_key = 'zzz' || name_key WHERE id = ?").run(ids[2])
    db.prepare('DELETE FROM users WHERE id IN (?, ?)').run(ids[3], ids[4])
    expectIndexTrue()
    // A word whose last user went is gone from both the counts and the trigram index.
    expect(db.prepare("SELECT count(*) FROM search_words WHERE word = 'nowak'").pluck().get()).toBe(
      (db.prepare("SELECT count(*) FROM users WHERE lower(name) LIKE '%nowak%' OR email LIKE '%nowak%@%'").pluck().get() as number) > 0 ? 1 : 0
    )
  })

  it('a term is one word only without a separator', () => {
    expect(isOneWord('maria')).toBe(true)
    expect(isOneWord('josé')).toBe(true)
    for (const term of ['elena.petrov', 'petrov14', "o'brien", 'a b', 'x@y', 'a\\b', 'x-y', '']) expect(isOneWord(term), term).toBe(false)
  })
})

describe('the SQL of a words page', () => {
  const plan = (sql: string, params: Record<string, unknown>) =>
    (demo.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join('\n')

  for (const direction of ['asc', 'desc'] as const) {
    it(`merges the words' ranges in order (${direction}), from a cursor, with no sort`, () => {
      const { sql, params } = wordsPageStatement({ words: ['maria', 'mariana', 'omar'], filter: ALL_CLASSES, direction, after: { text: 'm', id: 5 }, limit: 51 })
      const detail = plan(sql, params)
      expect(detail).toContain('MERGE (UNION)')
      expect(detail).toMatch(/SEARCH w USING PRIMARY KEY \(word=\? AND name_key[<>]/)
      expect(detail).not.toContain('TEMP B-TREE')
    })
  }

  for (const direction of ['asc', 'desc'] as const) {
    it(`in email order, merges the words' ranges of user_words_by_email (${direction}), from a cursor, with no sort`, () => {
      const { sql, params } = wordsPageStatement({ words: ['maria', 'mariana', 'omar'], order: 'email', filter: ALL_CLASSES, direction, after: { text: 'm', id: 5 }, limit: 51 })
      const detail = plan(sql, params)
      expect(detail).toContain('MERGE (UNION)')
      expect(detail).toMatch(/SEARCH w USING PRIMARY KEY \(word=\? AND email[<>]/)
      expect(detail).not.toContain('TEMP B-TREE')
    })
  }

  it('in email order, tests a status filter in the class index by email', () => {
    const { sql, params } = wordsPageStatement({ words: ['maria', 'omar'], order: 'email', filter: { ...ALL_CLASSES, classes: ['always'] }, direction: 'desc', limit: 51 })
    const detail = plan(sql, params)
    expect(detail).toContain('USING INDEX users_by_class_email (tfa_class=? AND email=? AND id=?)')
    expect(detail).not.toContain('TEMP B-TREE')
  })

  it('tests a status filter in the class index, not the user row', () => {
    const { sql, params } = wordsPageStatement({ words: ['maria', 'omar'], filter: { ...ALL_CLASSES, classes: ['always'] }, direction: 'asc', limit: 51 })
    const detail = plan(sql, params)
    expect(detail).toContain('USING INDEX users_by_class_name (tfa_class=? AND name_key=? AND id=?)')
    expect(detail).not.toContain('TEMP B-TREE')
  })
})

describe('migration 21 on a directory at schema 20', () => {
  it('indexes the words already there by their ends, and the words added later', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 20))
    const add = (name: string, email: string) => insertUser(db, { name, email, role: 'user', passwordHash: null, now: 0 })
    add('Ivan Ivanov', 'ivan.ivanov14@example.org')
    add('Olga Petrova', 'olga.p@example.org')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 21))
    expect(schemaVersion(db)).toBe(21)
    add('Anna Smirnov', 'anna@example.org')
    const ending = (text: string) => wordsOfPiece(db, { text, kind: 'end' }, 100).map((word) => word.word).sort()
    expect(ending('ov')).toEqual(['ivanov', 'smirnov'])
    expect(ending('a')).toEqual(['anna', 'olga', 'petrova'])
    expect(ending('nov')).toEqual(['ivanov', 'smirnov'])
    db.prepare("UPDATE users SET name = 'Anna Smirnova' WHERE email = 'anna@example.org'").run()
    expect(ending('ov')).toEqual(['ivanov'])
    db.close()
  })
})

describe('migration 22 on a directory at schema 21', () => {
  it('writes the words of the users already there in email order, and follows the changes after', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 21))
    const add = (name: string, email: string) => insertUser(db, { name, email, role: 'user', passwordHash: null, now: 0 })
    const ivan = add('Ivan Ivanov', 'ivan.ivanov14@example.org')
    const olga = add('Olga Petrova', 'Olga.P@example.org')
    migrate(db)
    expect(schemaVersion(db)).toBe(22)
    const anna = add('Anna Ivanova', 'anna@example.org')
    const rows = () => db.prepare('SELECT word, email, id FROM user_words_by_email ORDER BY word, email, id').raw().all()
    expect(rows()).toEqual([
      ['anna', 'anna@example.org', anna],
      ['ivan', 'ivan.ivanov14@example.org', ivan],
      ['ivanov', 'ivan.ivanov14@example.org', ivan],
      ['ivanova', 'anna@example.org', anna],
      ['olga', 'Olga.P@example.org', olga],
      ['p', 'Olga.P@example.org', olga],
      ['petrova', 'Olga.P@example.org', olga]
    ])
    // The case of an email alone changes the stored text (NOCASE would call it equal).
    db.prepare("UPDATE users SET email = 'olga.p@example.org' WHERE id = ?").run(olga)
    expect(db.prepare('SELECT DISTINCT email FROM user_words_by_email WHERE id = ?').pluck().all(olga)).toEqual(['olga.p@example.org'])
    db.prepare("UPDATE users SET email = 'olga.petrova@example.org' WHERE id = ?").run(olga)
    db.prepare("UPDATE users SET name = 'Anna Smirnova' WHERE id = ?").run(anna)
    db.prepare('DELETE FROM users WHERE id = ?').run(ivan)
    expect(rows()).toEqual([
      ['anna', 'anna@example.org', anna],
      ['olga', 'olga.petrova@example.org', olga],
      ['petrova', 'olga.petrova@example.org', olga],
      ['smirnova', 'anna@example.org', anna]
    ])
    db.close()
  })
})
