// The users of each email domain, kept by triggers (migration 19): after a
// random run of inserts, email changes (a directory sync's) and deletes, the
// table equals a GROUP BY recount of the users, a domain with nobody has no
// row, and a search's count of a domain term read from it equals a scan. The
// migration counts the users already there.
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { searchTerm } from '../../../src/main/core/listing/search-term'
import { ALL_CLASSES, countMatches } from '../../../src/main/db/listing-repo'
import { migrate, MIGRATIONS } from '../../../src/main/db/migrations'
import { updateDirectoryIdentity } from '../../../src/main/db/directory-repo'
import { insertUser } from '../../../src/main/db/users-repo'

const counted = (db: BetterSqlite3.Database) => db.prepare('SELECT domain, users FROM domain_counts ORDER BY domain').all()
const recount = (db: BetterSqlite3.Database) =>
  db.prepare("SELECT lower(substr(email, instr(email, '@') + 1)) AS domain, count(*) AS users FROM users GROUP BY 1 ORDER BY 1").all()
/** What a term of a domain means, by a scan of every user: the email (or the name) contains it. */
const scanned = (db: BetterSqlite3.Database, q: string) =>
  db.prepare('SELECT count(*) FROM users WHERE instr(lower(email), ?) > 0 OR instr(lower(name), ?) > 0').pluck().get(q, q) as number

describe('domain_counts', () => {
  it('equals a recount after 600 random inserts, email changes and deletes, and answers the counts of domain terms', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db)
    const random = seededRandom(19)
    const domains = ['example.com', 'EU.Example.com', 'corp.example.com', 'example.org', 'other.net']
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    let made = 0
    const ids = (): number[] => db.prepare('SELECT id FROM users').pluck().all() as number[]
    for (let i = 0; i < 600; i++) {
      const roll = random()
      db.transaction(() => {
        if (roll < 0.5 || ids().length === 0) {
          insertUser(db, { name: `Person ${made}`, email: `p${made++}@${pick(domains)}`, role: 'user', passwordHash: null, now: 0 })
        } else if (roll < 0.8) {
          const id = pick(ids())
          updateDirectoryIdentity(db, id, { email: `moved${made++}@${pick(domains)}`, name: `Moved ${id}`, directoryDn: `uid=${id},dc=example`, directoryId: `id-${id}` }, 0)
        } else {
          db.prepare('DELETE FROM users WHERE id = ?').run(pick(ids()))
        }
      })()
      if (i % 50 === 0) expect(counted(db)).toEqual(recount(db))
    }
    expect(counted(db)).toEqual(recount(db))
    // Everyone of one domain leaves: its row goes.
    db.prepare("DELETE FROM users WHERE lower(email) LIKE '%@other.net'").run()
    expect(counted(db).map((row) => (row as { domain: string }).domain)).not.toContain('other.net')
    expect(counted(db)).toEqual(recount(db))
    for (const q of ['example.com', '@example.com', '@eu.example.com', 'example', '.org', '@corp']) {
      expect(countMatches(db, searchTerm(q)!, ALL_CLASSES), q).toBe(scanned(db, q.toLowerCase()))
    }
    db.close()
  })

  it('is written by the migration for the users already there', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 18))
    for (let i = 0; i < 30; i++) insertUser(db, { name: `P ${i}`, email: `p${i}@${i % 3 === 0 ? 'Example.com' : 'other.org'}`, role: 'user', passwordHash: null, now: 0 })
    migrate(db)
    expect(counted(db)).toEqual([
      { domain: 'example.com', users: 10 },
      { domain: 'other.org', users: 20 }
    ])
    expect(countMatches(db, searchTerm('@example.com')!, ALL_CLASSES)).toBe(10)
    db.close()
  })
})
