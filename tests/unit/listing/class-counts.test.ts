// The 2FA distribution is read from counters kept by triggers: one per class
// in use (migration 8: the base class, or 'base@set' for users in groups).
// After a random run of 1,000 changes through the service (and the
// repositories it uses, group memberships included), the counters, each user's
// class and the Security page must equal a full GROUP BY recount from the base facts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Distribution, Enforcement } from '../../../src/shared/domain'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { twoFactorClass } from '../../../src/main/core/enforcement/rules'
import { addMember, insertGroup, removeMember } from '../../../src/main/db/groups-repo'
import { deleteCredential, insertCredential } from '../../../src/main/db/totp-repo'
import { readClassCounts } from '../../../src/main/db/listing-repo'
import { addUser, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

interface Fact {
  id: number
  role: 'admin' | 'user'
  enforcement: Enforcement
  credential: number
  tfa_class: string
  group_set: number
  /** The user's group set as the recount finds it from group_members (0: in no group). */
  set_from_members: number
}

/** The JSON array of a user's groups, ascending: how group_sets keys a combination of groups. */
const MEMBERS_OF_U = '(SELECT json_group_array(group_id) FROM (SELECT group_id FROM group_members m WHERE m.user_id = u.id ORDER BY group_id))'
const SET_FROM_MEMBERS = `(SELECT s.id FROM group_sets s WHERE s.members = ${MEMBERS_OF_U})`

function facts(): Fact[] {
  return env.db
    .prepare(
      `SELECT u.id, u.role, u.enforcement, u.tfa_class, u.group_set, ${SET_FROM_MEMBERS} AS set_from_members, c.user_id IS NOT NULL AS credential
       FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id`
    )
    .all() as Fact[]
}

/**
 * The naive recount the counters replace: one GROUP BY over every user, from
 * the base facts (credentials, role, override, group memberships). The groups
 * are never enforced nor exempt from the policy here, and no enforcement has a
 * grace period (the clock stands still), so every pending user is overdue.
 */
function recount(enforcedForAll: boolean): { classes: Map<string, number>; distribution: Distribution; inherit: number } {
  const rows = env.db
    .prepare(
      `SELECT
         CASE WHEN c.user_id IS NOT NULL THEN 'active'
              WHEN u.role = 'admin' OR u.enforcement = 'enforced' OR (u.enforcement = 'inherit' AND @policy = 1) THEN 'pending'
              ELSE 'inactive' END AS status,
         CASE WHEN c.user_id IS NOT NULL THEN 'active'
              WHEN u.role = 'admin' OR u.enforcement = 'enforced' THEN 'always'
              WHEN u.enforcement = 'exempt' THEN 'exempt' ELSE 'inherit' END AS base,
         ${SET_FROM_MEMBERS} AS groupSet,
         count(*) AS n
       FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id GROUP BY 1, 2, 3`
    )
    .all({ policy: enforcedForAll ? 1 : 0 }) as { status: 'active' | 'pending' | 'inactive'; base: string; groupSet: number; n: number }[]
  // Only the classes that have users.
  const classes = new Map<string, number>()
  const distribution: Distribution = { total: 0, active: 0, pending: 0, inactive: 0, overdue: 0 }
  let inherit = 0
  for (const row of rows) {
    const twoFactor = row.groupSet === 0 ? row.base : `${row.base}@${row.groupSet}`
    classes.set(twoFactor, (classes.get(twoFactor) ?? 0) + row.n)
    if (row.base === 'inherit') inherit += row.n
    distribution[row.status] += row.n
    distribution.total += row.n
    if (row.status === 'pending') distribution.overdue += row.n
  }
  return { classes, distribution, inherit }
}

describe('constant-time 2FA counts', () => {
  it('equal a full GROUP BY recount after 1,000 random changes', async () => {
    const random = seededRandom(2026)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    for (let i = 0; i < 20; i++) await addUser(env, `seed${i}@example.com`, i % 5 === 0 ? 'admin' : 'user')
    // A few groups (never enforced): memberships move users between 'base' and 'base@set' classes.
    const groups = ['Sales', 'Support', 'Finance'].map((name) => insertGroup(env.db, { name, now: env.clock.now() }))
    let created = 0
    let enforcedForAll = false
    const kinds = new Map<string, number>()

    const changes: Record<string, () => Promise<unknown>> = {
      create: () => addUser(env, `user${created++}@example.com`, random() < 0.1 ? 'admin' : 'user'),
      // What confirmEnrollment writes; the trigger on totp_credentials does the rest.
      enroll: async () => {
        const user = pick(facts().filter((fact) => fact.credential === 0))
        if (!user) return
        env.db.transaction(() =>
          insertCredential(env.db, { userId: user.id, secretEnc: Buffer.alloc(49), algorithm: 'SHA1', digits: 6, period: 30, confirmedAt: 1, lastUsedStep: null })
        )()
      },
      reset: () => env.cli('resetTwoFactor', { userId: pick(facts()).id }),
      // What deactivateMyTwoFactor does after checking the code.
      deactivate: async () => env.db.transaction(() => deleteCredential(env.db, pick(facts()).id))(),
      enforce: () => env.cli('setEnforcement', { userId: pick(facts()).id, enforcement: 'enforced' }),
      exempt: () => env.cli('setEnforcement', { userId: pick(facts()).id, enforcement: 'exempt' }),
      inherit: () => env.cli('setEnforcement', { userId: pick(facts()).id, enforcement: 'inherit' }),
      checkbox: () => env.cli('setEnforceTwoFactorActivation', { userId: pick(facts()).id, enforce: random() < 0.5 }),
      role: () => env.cli('updateUser', { userId: pick(facts()).id, role: random() < 0.5 ? 'admin' : 'user' }),
      rename: () => env.cli('updateUser', { userId: pick(facts()).id, name: `Renamed ${random().toString(36).slice(2, 8)}` }),
      disable: () => env.cli('updateUser', { userId: pick(facts()).id, disabled: random() < 0.5 }),
      // INSERT / DELETE on group_members; the triggers move the user to the class of their new group set.
      join: async () => env.db.transaction(() => addMember(env.db, pick(groups), pick(facts()).id))(),
      leave: async () => {
        const membership = pick(env.db.prepare('SELECT group_id AS groupId, user_id AS userId FROM group_members').all() as { groupId: number; userId: number }[])
        if (!membership) return
        env.db.transaction(() => removeMember(env.db, membership.groupId, membership.userId))()
      },
      policy: async () => {
        enforcedForAll = !enforcedForAll
        return env.cli(enforcedForAll ? 'enforceForAllUsers' : 'revokeEnforcement')
      }
    }
    const names = Object.keys(changes)

    for (let step = 0; step < 1000; step++) {
      const kind = pick(names)
      try {
        await changes[kind]!()
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
      } catch (error) {
        // Refused changes (exempting an admin, demoting the last admin) must leave the counts alone too.
        expect(String(error)).toMatch(/ADMIN_ALWAYS_ENFORCED|LAST_ADMIN/)
      }
      const expected = recount(enforcedForAll)
      expect(readClassCounts(env.db)).toEqual(expected.classes)
      if (step % 50 === 0 || step === 999) {
        const overview = await env.cli('getSecurityOverview')
        expect(overview.enforcedForAll).toBe(enforcedForAll)
        expect(overview.distribution).toEqual(expected.distribution)
        expect(overview.enforcedForAll ? overview.wouldBecomeInactive : overview.wouldBecomePending).toBe(expected.inherit)
        for (const fact of facts()) {
          expect(fact.group_set).toBe(fact.set_from_members)
          expect(fact.tfa_class).toBe(twoFactorClass({ ...fact, groupSet: fact.group_set }, fact.credential === 1))
        }
      }
    }
    // Every kind of change happened, many times.
    for (const kind of names) expect(kinds.get(kind) ?? 0).toBeGreaterThan(30)
    // And the groups were in use: some users ended in a 'base@set' class.
    expect([...readClassCounts(env.db).keys()].some((twoFactor) => twoFactor.includes('@'))).toBe(true)
  })

  it('follow deletions too, credentials included', async () => {
    const maria = await addUser(env, 'maria@example.com')
    await addUser(env, 'tom@example.com', 'admin')
    const db = env.db
    db.transaction(() => insertCredential(db, { userId: maria, secretEnc: Buffer.alloc(49), algorithm: 'SHA1', digits: 6, period: 30, confirmedAt: 1, lastUsedStep: null }))()
    expect(readClassCounts(db)).toEqual(new Map([['active', 1], ['always', 1]]))
    db.prepare('DELETE FROM users WHERE id = ?').run(maria)
    expect(readClassCounts(db)).toEqual(new Map([['always', 1]]))
    expect(db.prepare('SELECT count(*) FROM users_search').pluck().get()).toBe(1)
    // A member of a group: deleting the user deletes the membership too, and the count of their 'base@set' class.
    const sam = await addUser(env, 'sam@example.com')
    const group = insertGroup(db, { name: 'Sales', now: env.clock.now() })
    db.transaction(() => addMember(db, group, sam))()
    const samClass = db.prepare('SELECT tfa_class FROM users WHERE id = ?').pluck().get(sam) as string
    expect(samClass).toMatch(/^inherit@[1-9]\d*$/)
    expect(readClassCounts(db)).toEqual(new Map([['always', 1], [samClass, 1]]))
    db.prepare('DELETE FROM users WHERE id = ?').run(sam)
    expect(readClassCounts(db)).toEqual(new Map([['always', 1]]))
    expect(db.prepare('SELECT count(*) FROM group_members').pluck().get()).toBe(0)
  })

  it('refuse to move a credential or renumber a user, which would break the counts and the search index', async () => {
    const maria = await addUser(env, 'maria@example.com')
    const tom = await addUser(env, 'tom@example.com')
    const db = env.db
    db.transaction(() => insertCredential(db, { userId: maria, secretEnc: Buffer.alloc(49), algorithm: 'SHA1', digits: 6, period: 30, confirmedAt: 1, lastUsedStep: null }))()
    expect(() => db.prepare('UPDATE totp_credentials SET user_id = ? WHERE user_id = ?').run(tom, maria)).toThrow(/cannot move/)
    expect(() => db.prepare('UPDATE users SET id = 999 WHERE id = ?').run(tom)).toThrow(/never changes/)
  })
})
