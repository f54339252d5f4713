// Migration 2 classifies users in SQL (users.tfa_class), and migration 8 makes
// the class a base class and a group set ('base@set' for users in a group);
// src/main/core/enforcement/rules.ts states the rules. These tests hold the two
// together, and check that migrating a populated version 1 directory keeps
// every user's status.
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Enforcement, Role, TwoFactorClass, TwoFactorStatus } from '../../../src/shared/domain'
import { ENFORCEMENTS, ROLES, TWO_FACTOR_CLASSES } from '../../../src/shared/domain'
import { plainPolicy, statusOfClass, twoFactorClass, twoFactorStatus, type EnforcementPolicy } from '../../../src/main/core/enforcement/rules'
import { classFilter, classInFilter } from '../../../src/main/core/listing/class-selection'
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

/** A combination with the user's group set (migration 8): 0 in no group, else the set of their groups. */
interface GroupedCombination extends Combination {
  groupSet: number
}

/** One group (plain SQL, as migration 8 made it); its one-group set is made by the triggers on group_members. */
function makeGroup(db: BetterSqlite3.Database, name = 'Group'): number {
  return Number(db.prepare('INSERT INTO groups (name, created_at) VALUES (?, 0)').run(name).lastInsertRowid)
}

/** The group set whose groups are exactly `groupIds` (as the triggers key it: a JSON array, ascending). */
function setOf(db: BetterSqlite3.Database, groupIds: number[]): number {
  const set = db.prepare('SELECT id FROM group_sets WHERE members = ?').pluck().get(JSON.stringify([...groupIds].sort((a, b) => a - b))) as number | undefined
  if (set === undefined) throw new Error(`no group set for ${JSON.stringify(groupIds)}`)
  return set
}

/** Every combination twice: once in no group (group set 0), once as a member of `groupId` (a non-zero group set). */
function populateGrouped(db: BetterSqlite3.Database, groupId: number): { id: number; combination: GroupedCombination }[] {
  const users = populate(db, 2)
  const join = db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)')
  const grouped: { id: number; combination: GroupedCombination }[] = []
  const inGroup = new Set<number>()
  // The second copy of every combination joins the group.
  users.slice(COMBINATIONS.length).forEach((user) => {
    join.run(groupId, user.id)
    inGroup.add(user.id)
  })
  const set = setOf(db, [groupId])
  expect(set).not.toBe(0)
  for (const user of users) grouped.push({ id: user.id, combination: { ...user.combination, groupSet: inGroup.has(user.id) ? set : 0 } })
  return grouped
}

function classOf(db: BetterSqlite3.Database, id: number): string {
  return db.prepare('SELECT tfa_class FROM users WHERE id = ?').pluck().get(id) as string
}

/** The policies the statuses are checked under: the plain ones, and with the group enforced or exempt from the policy. */
function policiesFor(groupId: number, setId: number): { name: string; policy: EnforcementPolicy }[] {
  const groupsOfSet = (set: number) => (set === setId ? [groupId] : [])
  return [
    { name: 'not enforced', policy: plainPolicy(false) },
    { name: 'enforced for all', policy: plainPolicy(true) },
    { name: 'group enforced', policy: { ...plainPolicy(false), enforcedGroups: new Map([[groupId, 0]]), groupsOfSet } },
    { name: 'enforced for all but the group', policy: { ...plainPolicy(true), exemptGroupId: groupId, groupsOfSet } }
  ]
}

describe('the 2FA class in SQL and the rules in enforcement.ts', () => {
  it('agree for every role, override, credential and group set, under both policies (and with the group enforced or exempt)', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db)
    const groupId = makeGroup(db)
    const users = populateGrouped(db, groupId)
    const setId = setOf(db, [groupId])
    const counts = readClassCounts(db)
    // Both forms are there: the base class alone (group set 0) and 'base@set'.
    expect(users.filter((user) => user.combination.groupSet === 0)).toHaveLength(COMBINATIONS.length)
    expect(users.filter((user) => user.combination.groupSet === setId)).toHaveLength(COMBINATIONS.length)
    for (const { id, combination } of users) {
      const sqlClass = classOf(db, id)
      expect(sqlClass).toBe(twoFactorClass(combination, combination.credential))
      // In no group the base class alone, else 'base@set'.
      const base = twoFactorClass({ ...combination, groupSet: 0 }, combination.credential)
      expect(TWO_FACTOR_CLASSES).toContain(base)
      expect(sqlClass).toBe(combination.groupSet === 0 ? base : `${base}@${setId}`)
      for (const { name, policy } of policiesFor(groupId, setId)) {
        const status = twoFactorStatus(combination, combination.credential, policy)
        expect(statusOfClass(sqlClass as TwoFactorClass, policy), name).toBe(status)
        expect(classInFilter(sqlClass as TwoFactorClass, status, policy, 0), name).toBe(true)
        expect(classFilter(counts, policy, { status, now: 0 }, null).classes, name).toContain(sqlClass)
      }
    }
    db.close()
  })

  it('maps every status to the classes that make it up, each class to exactly one status', () => {
    // Every base class, alone (no group) and with a group set.
    const classes: TwoFactorClass[] = [...TWO_FACTOR_CLASSES, ...TWO_FACTOR_CLASSES.map((c) => `${c}@1` as TwoFactorClass)]
    const counts = new Map(classes.map((c) => [c, 1]))
    for (const enforcedForAll of [false, true]) {
      const seen = (['active', 'pending', 'inactive'] as TwoFactorStatus[]).flatMap(
        (status) => classFilter(counts, plainPolicy(enforcedForAll), { status, now: 0 }, null).classes ?? []
      )
      expect([...seen].sort()).toEqual([...classes].sort())
    }
    // Only the users who follow the policy change status with it.
    expect(TWO_FACTOR_CLASSES.filter((c) => statusOfClass(c, plainPolicy(false)) !== statusOfClass(c, plainPolicy(true)))).toEqual(['inherit'])
    expect(classes.filter((c) => statusOfClass(c, plainPolicy(false)) !== statusOfClass(c, plainPolicy(true)))).toEqual(['inherit', 'inherit@1'])
  })

  it('follows every change of role, override, credential and group membership', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db)
    const first = makeGroup(db, 'First')
    const second = makeGroup(db, 'Second')
    const start = populate(db).find((user) => user.combination.role === 'user' && user.combination.enforcement === 'inherit' && !user.combination.credential)
    const id = start!.id
    const memberships: number[][] = [[], [first], [first, second], [second], []]
    for (const groups of memberships) {
      db.prepare('DELETE FROM group_members WHERE user_id = ?').run(id)
      for (const group of groups) db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)').run(group, id)
      const groupSet = setOf(db, groups)
      expect(groupSet === 0).toBe(groups.length === 0)
      expect(db.prepare('SELECT group_set FROM users WHERE id = ?').pluck().get(id)).toBe(groupSet)
      for (const combination of COMBINATIONS) {
        db.prepare('UPDATE users SET role = ?, enforcement = ? WHERE id = ?').run(combination.role, combination.enforcement, id)
        db.prepare('DELETE FROM totp_credentials WHERE user_id = ?').run(id)
        if (combination.credential) {
          db.prepare("INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at) VALUES (?, x'00', 'SHA1', 6, 30, 0)").run(id)
        }
        expect(classOf(db, id)).toBe(twoFactorClass({ ...combination, groupSet }, combination.credential))
      }
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
      expect(statusOfClass(twoFactor, plainPolicy(false))).toBe(v1.off.get(id))
      expect(statusOfClass(twoFactor, plainPolicy(true))).toBe(v1.on.get(id))
    }
    const counts = readClassCounts(db)
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(users.length)
    for (const twoFactor of TWO_FACTOR_CLASSES) {
      expect(counts.get(twoFactor) ?? 0).toBe(users.filter((user) => twoFactorClass(user.combination, user.combination.credential) === twoFactor).length)
    }
    // Every existing user is in the search index.
    const found = listUserRecords(db, { query: 'enrolled', sort: 'name', direction: 'asc', limit: 500, policy: plainPolicy(false), now: 0 })
    expect(found.total).toBe(users.length)
    db.close()
  })
})
