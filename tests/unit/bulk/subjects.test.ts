// What a bulk change decides on is read as packed rows (bulk-repo.ts): every
// combination of the columns it packs comes back as the row says, by ids, by
// emails and by a filter alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Enforcement, Role, UserSource } from '../../../src/shared/domain'
import * as bulkRepo from '../../../src/main/db/bulk-repo'
import { ALL_CLASSES, type ClassFilter } from '../../../src/main/db/listing-repo'
import * as usersRepo from '../../../src/main/db/users-repo'
import { TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

describe('the subjects of a bulk change', () => {
  it('every role, enforcement, source and flag, with and without deadlines and locks, reads back as the row holds it', () => {
    const expected: bulkRepo.BulkSubject[] = []
    const roles: Role[] = ['admin', 'user']
    const enforcements: Enforcement[] = ['inherit', 'enforced', 'exempt']
    const sources: UserSource[] = ['local', 'csv', 'ldap']
    let n = 0
    env.db.transaction(() => {
      for (const role of roles)
        for (const enforcement of enforcements)
          for (const source of sources)
            for (const flags of [0, 1, 2, 3, 4, 5, 6, 7, 8, 15]) {
              n++
              const email = `Person.${n}@Example.com`
              const id = usersRepo.insertUser(env.db, { name: `Person ${n}`, email, role, passwordHash: flags & 1 ? 'hash' : null, now: 1, source })
              const subject: bulkRepo.BulkSubject = {
                id,
                email,
                role,
                disabled: (flags & 2) !== 0,
                enforcement,
                enforcementDeadline: enforcement === 'enforced' && n % 2 === 0 ? 1_700_000_000_000 + n : null,
                groupSet: 0,
                hasTwoFactor: (flags & 4) !== 0,
                hasPassword: (flags & 1) !== 0,
                demo: (flags & 8) !== 0,
                source,
                failedAttempts: n % 4,
                lockLevel: n % 3,
                lockedUntil: n % 5 === 0 ? 1_800_000_000_000 + n : null
              }
              env.db
                .prepare(
                  `UPDATE users SET disabled = ?, enforcement = ?, enforcement_deadline = ?, has_totp = ?, demo = ?, failed_attempts = ?, lock_level = ?, locked_until = ? WHERE id = ?`
                )
                .run(
                  subject.disabled ? 1 : 0,
                  enforcement,
                  subject.enforcementDeadline,
                  subject.hasTwoFactor ? 1 : 0,
                  subject.demo ? 1 : 0,
                  subject.failedAttempts,
                  subject.lockLevel,
                  subject.lockedUntil,
                  id
                )
              expected.push(subject)
            }
    })()
    const ids = expected.map((subject) => subject.id)
    expect(bulkRepo.usersByIds(env.db, ids)).toEqual(expected)
    expect(bulkRepo.usersByEmails(env.db, expected.map((subject) => subject.email)).users).toEqual(expected)
    const all = bulkRepo.usersOfFilter(env.db, ALL_CLASSES, null)
    expect(all).toEqual(expected)
    // Read by a scan of the table (a filter of a large share), the same users; some classes alone, the same too.
    expect(bulkRepo.usersOfFilter(env.db, ALL_CLASSES, null, true)).toEqual(expected)
    const some: ClassFilter = { classes: ['active', 'exempt'], dueBy: null }
    const byIndex = bulkRepo.usersOfFilter(env.db, some, null, false)
    expect(byIndex.length).toBeGreaterThan(0)
    expect(byIndex.length).toBeLessThan(expected.length)
    expect(bulkRepo.usersOfFilter(env.db, some, null, true)).toEqual(byIndex)
  })

  it('a filter of a large share is read by a scan of the table in id order: no class index, no sort', () => {
    const some: ClassFilter = { classes: ['active', 'inherit'], dueBy: null }
    const plan = (scan: boolean) => {
      const { sql, params } = bulkRepo.usersOfFilterStatement(some, null, scan)
      return (env.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join(' | ')
    }
    expect(plan(true)).toMatch(/^SCAN u\b/)
    expect(plan(true)).not.toMatch(/USING INDEX|TEMP B-TREE/)
  })
})
