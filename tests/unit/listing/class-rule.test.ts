// Migration 2 classifies users in SQL (users.tfa_class); src/main/core/enforcement.ts
// states the rules. These tests hold the two together, and check that migrating a
// populated version 1 directory keeps every user's status.
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Enforcement, Role, TwoFactorStatus } from '../../../src/shared/domain'
import { ENFORCEMENTS, ROLES, TWO_FACTOR_CLASSES } from '../../../src/shared/domain'
import { classesWithStatus, statusOfClass, twoFactorClass, twoFactorStatus } from '../../../src/main/core/enforcement/rules'
import { listUserRecords } from '../../../src/main/core/listing/user-listing'
import { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion } from '../../../src/main/db/migrations'
import { readClassCounts } from '../../../src/main/db/listing-repo'

interface Combination {
  role: Role
  enforcement: Enforcement
  credential: boolean
}

const COMBINATIONS: Combination[] = ROLES.flatMap((role) =>
  ENFORCEMENTS.flatMap((enforcement) => [false, true].map((credential) => ({ role, enforcement, credential })))
)

/** Inserts one user per combination (plus `copies` more of each) with plain SQL, as any version could. */
function populate(db: BetterSqlite3.Database, copies = 1): { id: number; combination: Combination }[] {
  const insertUser = db.prepare(
    "INSERT INTO users (name, email, role, enforcement, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)"
  )
  const insertCredential = db.prepare(
    "INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at) VALUES (?, x'00', 'SHA1', 6, 30, 0)"
  )
  const users: { id: number; combination: Combination }[] = []
  db.transaction(() => {
    for (let copy = 0; copy < copies; copy++) {
      COMBINATIONS.forEach((combination, index) => {
        const name = `${combination.role} ${combination.enforcement} ${combination.credential ? 'enrolled' : 'not enrolled'} ${copy}`
        const id = Number(insertUser.run(name, `user${index}.${copy}@example.com`, combination.role, combination.enforcement).lastInsertRowid)
        if (combination.credential) insertCredential.run(id)
        users.push({ id, combination })
      })
    }
  })()
  return users
}

function classOf(db: BetterSqlite3.Database, id: number): string {
  return db.prepare('SELECT tfa_class FROM users WHERE id = ?').pluck().get(id) as string
}

describe('the 2FA class in SQL and the rules in enforcement.ts', () => {
  it('agree for every role, override and credential, under both policies', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db)
    for (const { id, combination } of populate(db)) {
      const sqlClass = classOf(db, id)
      expect(sqlClass).toBe(twoFactorClass(combination, combination.credential))
      for (const enforcedForAll of [false, true]) {
        const status = twoFactorStatus(combination, combination.credential, enforcedForAll)
        expect(statusOfClass(sqlClass as never, enforcedForAll)).toBe(status)
        expect(classesWithStatus(status, enforcedForAll)).toContain(sqlClass)
      }
    }
    db.close()
  })

  it('maps every status to the classes that make it up, each class to exactly one status', () => {
    for (const enforcedForAll of [false, true]) {
      const seen = (['active', 'pending', 'inactive'] as TwoFactorStatus[]).flatMap((status) => classesWithStatus(status, enforcedForAll))
      expect([...seen].sort()).toEqual([...TWO_FACTOR_CLASSES].sort())
    }
    // Only the users who follow the policy change status with it.
    expect(TWO_FACTOR_CLASSES.filter((c) => statusOfClass(c, false) !== statusOfClass(c, true))).toEqual(['inherit'])
  })

  it('follows every change of role, override and credential', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db)
    const start = populate(db).find((user) => user.combination.role === 'user' && user.combination.enforcement === 'inherit' && !user.combination.credential)
    const id = start!.id
    for (const combination of COMBINATIONS) {
      db.prepare('UPDATE users SET role = ?, enforcement = ? WHERE id = ?').run(combination.role, combination.enforcement, id)
      db.prepare('DELETE FROM totp_credentials WHERE user_id = ?').run(id)
      if (combination.credential) {
        db.prepare("INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at) VALUES (?, x'00', 'SHA1', 6, 30, 0)").run(id)
      }
      expect(classOf(db, id)).toBe(twoFactorClass(combination, combination.credential))
    }
    db.close()
  })
})

describe('migration 1 -> 2 on a populated directory', () => {
  it('keeps every status, counts every class, and indexes every user for search', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.slice(0, 1))
    expect(schemaVersion(db)).toBe(1)
    const users = populate(db, 5)
    // The statuses version 1 showed, by its own derivation.
    const before = (enforcedForAll: boolean) =>
      new Map(
        (
          db
            .prepare(
              `SELECT u.id, CASE WHEN c.user_id IS NOT NULL THEN 'active'
                 WHEN u.role = 'admin' OR u.enforcement = 'enforced' OR (u.enforcement = 'inherit' AND @policy = 1) THEN 'pending'
                 ELSE 'inactive' END AS status
               FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id`
            )
            .all({ policy: enforcedForAll ? 1 : 0 }) as { id: number; status: TwoFactorStatus }[]
        ).map((row) => [row.id, row.status])
      )
    const v1 = { off: before(false), on: before(true) }

    migrate(db)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    for (const { id } of users) {
      const twoFactor = classOf(db, id) as never
      expect(statusOfClass(twoFactor, false)).toBe(v1.off.get(id))
      expect(statusOfClass(twoFactor, true)).toBe(v1.on.get(id))
    }
    const counts = readClassCounts(db)
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(users.length)
    for (const twoFactor of TWO_FACTOR_CLASSES) {
      expect(counts[twoFactor]).toBe(users.filter((user) => twoFactorClass(user.combination, user.combination.credential) === twoFactor).length)
    }
    // Every existing user is in the search index.
    const found = listUserRecords(db, { query: 'enrolled', sort: 'name', direction: 'asc', limit: 500, enforcedForAll: false })
    expect(found.total).toBe(users.length)
    db.close()
  })
})
