// Issue 12, parts 1 and 2: grace periods and deadlines for every enforcement,
// groups, enforcement by group and the exemption group of the policy. Each rule
// is checked through the contract (the core decides), against an injected clock,
// and every count against a recount of the rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DAY_MS, type TwoFactorClass, type TwoFactorFilter, type UserRow } from '../../../src/shared/domain'
import { readArms } from '../../../src/main/core/listing/keyset'
import { effectiveEnforcement, type EnforcementPolicy } from '../../../src/main/core/enforcement/rules'
import { ACTIVATE_FIRST, CLIENT_REQUIRES_2FA } from '../../../src/main/core/radius/radius-sign-in'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
})
afterEach(() => env.dispose())

const login = (email: string, screen: Screen = env.screen()) => screen.ok('login', { email, password: PASSWORD })
const group = (name: string) => env.cli('createGroup', { name })
const members = (groupId: number, ...emails: string[]) => env.cli('addGroupMembers', { groupId, emails })
const row = async (email: string): Promise<UserRow> => {
  const page = await env.cli('listUsers', { query: email })
  const found = page.users.find((user) => user.email === email)
  if (!found) throw new Error(`no row for ${email}`)
  return found
}

async function listAll(input: { status?: TwoFactorFilter; groupId?: number; sort?: 'name' | 'email' | 'role' | 'status'; direction?: 'asc' | 'desc' }): Promise<{ emails: string[]; total: number }> {
  const emails: string[] = []
  let cursor: string | undefined
  let total = -1
  do {
    const page = await env.cli('listUsers', { ...input, limit: 7, ...(cursor ? { cursor } : {}) })
    total = page.total
    emails.push(...page.users.map((user) => user.email))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return { emails, total }
}

describe('the rule: override, then any enforced group, then the policy (unless in the exemption group)', () => {
  const sets: Record<number, number[]> = { 1: [10], 2: [20], 3: [10, 20], 4: [30], 5: [10, 30] }
  const policy = (enforcedForAll: boolean, enforced: [number, number][], exempt: number | null): EnforcementPolicy => ({
    enforcedForAll,
    deadline: enforcedForAll ? 500 : null,
    exemptGroupId: exempt,
    enforcedGroups: new Map(enforced),
    groupsOfSet: (set) => sets[set] ?? []
  })

  it.each([
    // [role, override, set, policy on, enforced groups (id, deadline), exemption group] -> [source, deadline]
    ['admin', 'exempt', 0, false, [], null, 'role', null],
    ['user', 'enforced', 1, false, [], null, 'individual', 42],
    ['user', 'exempt', 1, true, [[10, 100]], null, 'exempt', null],
    ['user', 'inherit', 1, false, [[10, 100]], null, 'group', 100],
    ['user', 'inherit', 3, false, [[10, 100], [20, 50]], null, 'group', 50],
    ['user', 'inherit', 2, true, [[10, 100]], null, 'policy', 500],
    ['user', 'inherit', 4, true, [], 30, 'none', null],
    ['user', 'inherit', 5, true, [[10, 100]], 30, 'group', 100],
    ['user', 'inherit', 0, true, [], 30, 'policy', 500],
    ['user', 'inherit', 0, false, [[10, 100]], null, 'none', null],
    // A group and the policy: the earliest deadline of the two (a group's grace never postpones the policy's).
    ['user', 'inherit', 1, true, [[10, 900]], null, 'policy', 500],
    ['user', 'inherit', 1, true, [[10, 100]], null, 'group', 100]
  ] as const)('%s %s in set %i, policy %s, enforced %j, exemption %s: %s due %s', (role, enforcement, groupSet, on, enforced, exempt, source, deadline) => {
    const subject = { role, enforcement, groupSet, enforcementDeadline: enforcement === 'enforced' ? 42 : null }
    expect(effectiveEnforcement(subject, policy(on, enforced as unknown as [number, number][], exempt))).toEqual({ source, deadline })
  })

  it('the screens agree with the rule: every filter lists exactly the users whose row has that status, and counts them exactly', async () => {
    const emails = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `${x}@example.com`)
    for (const email of emails) await addUser(env, email)
    const admins = await group('Admins first')
    const sales = await group('Sales')
    const contractors = await group('Contractors')
    await members(admins.id, emails[0]!, emails[1]!)
    await members(sales.id, emails[1]!, emails[2]!, emails[3]!)
    await members(contractors.id, emails[3]!, emails[4]!)
    await env.cli('enforceGroup', { groupId: admins.id })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 14 })
    await env.cli('enforceForAllUsers', { graceDays: 30 })
    await env.cli('setPolicyExemptionGroup', { groupId: contractors.id })
    await env.cli('setEnforcement', { userId: (await row(emails[5]!)).id, enforcement: 'exempt' })
    await env.cli('setEnforcement', { userId: (await row(emails[6]!)).id, enforcement: 'enforced', graceDays: 3 })
    const rows = new Map<string, UserRow>()
    for (const email of [...emails, 'admin@example.com']) rows.set(email, await row(email))

    const expectSource = (email: string, source: string, deadlineDays: number | null) => {
      const found = rows.get(email)!
      expect(found.enforcementSource, email).toBe(source)
      expect(found.deadline, email).toBe(deadlineDays === null ? null : env.clock.now() + deadlineDays * DAY_MS)
    }
    expectSource(emails[0]!, 'group', 0)
    expectSource(emails[1]!, 'group', 0) // Admins first (at once) is earlier than Sales (14 days)
    expectSource(emails[2]!, 'group', 14)
    expectSource(emails[3]!, 'group', 14) // in the exemption group too, but that only leaves out the policy
    expectSource(emails[4]!, 'none', null) // exemption group, no enforced group
    expectSource(emails[5]!, 'exempt', null)
    expectSource(emails[6]!, 'individual', 3)
    expect(rows.get('admin@example.com')!.status).toBe('active')
    expect(rows.get(emails[0]!)!.overdue).toBe(true)
    expect(rows.get(emails[2]!)!.overdue).toBe(false)
    expect(rows.get(emails[0]!)!.groups).toEqual(['Admins first'])
    expect(rows.get(emails[1]!)!.groups).toEqual(['Admins first', 'Sales'])

    const want = (filter: TwoFactorFilter) =>
      [...rows.values()]
        .filter((user) => (filter === 'overdue' ? user.status === 'pending' && user.overdue : user.status === filter))
        .map((user) => user.email)
        .sort()
    for (const filter of ['active', 'pending', 'overdue', 'inactive'] as const) {
      for (const sort of ['name', 'email', 'role', 'status'] as const) {
        const listed = await listAll({ status: filter, sort })
        expect([...listed.emails].sort(), `${filter} by ${sort}`).toEqual(want(filter))
        expect(listed.total, `${filter} by ${sort}`).toBe(want(filter).length)
      }
    }
    const overview = await env.cli('getSecurityOverview')
    expect(overview.distribution).toEqual({ total: 8, active: 1, pending: want('pending').length, inactive: want('inactive').length, overdue: want('overdue').length })
    // A group filter, with and without a status.
    expect((await listAll({ groupId: sales.id })).emails.sort()).toEqual([emails[1]!, emails[2]!, emails[3]!])
    expect((await listAll({ groupId: sales.id, status: 'overdue' })).emails).toEqual([emails[1]!])
    const summary = await env.cli('getGroup', { groupId: sales.id })
    expect(summary).toMatchObject({ members: 3, enforced: true, deadline: env.clock.now() + 14 * DAY_MS })
    expect(summary.distribution).toEqual({ total: 3, active: 0, pending: 3, inactive: 0, overdue: 1 })
    expectDeadlineCountsExact()
  })
})

describe('grace period and deadline', () => {
  it('an enforced user without 2FA signs in during the grace period with a reminder every time, and must activate once it passes', async () => {
    await addUser(env, 'maria@example.com')
    await env.cli('enforceForAllUsers', { graceDays: 7 })
    const first = await login('maria@example.com')
    expect(first).toMatchObject({ step: 'signed-in', activationDue: { deadline: env.clock.now() + 7 * DAY_MS, daysLeft: 7 } })
    env.clock.advance(3 * DAY_MS)
    // "Later" keeps nothing: the next sign-in reminds again, with the days left.
    expect(await login('maria@example.com')).toMatchObject({ step: 'signed-in', activationDue: { daysLeft: 4 } })
    expect((await row('maria@example.com')).overdue).toBe(false)
    env.clock.advance(4 * DAY_MS)
    expect(await login('maria@example.com')).toMatchObject({ step: 'enrollment-required' })
    expect(await row('maria@example.com')).toMatchObject({ status: 'pending', overdue: true })
  })

  it('a session signed in during the grace period loses its rights when the deadline moves to now', async () => {
    await addUser(env, 'maria@example.com')
    await env.cli('enforceForAllUsers', { graceDays: 1 })
    const maria = env.screen()
    await login('maria@example.com', maria)
    expect((await maria.ok('getMyAccount')).deadline).toBe(env.clock.now() + DAY_MS)
    env.clock.advance(60_000)
    await env.cli('enforceForAllUsers', { graceDays: 0 })
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect(await login('maria@example.com')).toMatchObject({ step: 'enrollment-required' })
  })

  it('a shortened deadline applies at once to everyone it covers, including users who already chose Later (gitlab #29702)', async () => {
    await addUser(env, 'maria@example.com')
    await addUser(env, 'tom@example.com')
    const sales = await group('Sales')
    await members(sales.id, 'tom@example.com')
    await env.cli('enforceForAllUsers', { graceDays: 30 })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 30 })
    expect(await login('maria@example.com')).toMatchObject({ activationDue: { daysLeft: 30 } })
    expect(await login('tom@example.com')).toMatchObject({ activationDue: { daysLeft: 30 } })
    env.clock.advance(DAY_MS)
    await env.cli('enforceForAllUsers', { graceDays: 2 })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 0 })
    expect(await login('maria@example.com')).toMatchObject({ activationDue: { daysLeft: 2 } })
    expect(await login('tom@example.com')).toMatchObject({ step: 'enrollment-required' })
    const changes = env.db.prepare("SELECT target FROM audit_log WHERE action = 'enforcement.deadline-changed' ORDER BY id").pluck().all()
    expect(changes).toEqual([null, 'Sales'])
    env.clock.advance(2 * DAY_MS)
    expect(await login('maria@example.com')).toMatchObject({ step: 'enrollment-required' })
  })

  it('an individual enforcement carries its own deadline; without a grace period it applies at the next sign-in, as before', async () => {
    const id = await addUser(env, 'maria@example.com')
    await env.cli('setEnforceTwoFactorActivation', { userId: id, enforce: true, graceDays: 5 })
    expect(await login('maria@example.com')).toMatchObject({ step: 'signed-in', activationDue: { daysLeft: 5 } })
    const other = await addUser(env, 'tom@example.com')
    await env.cli('setEnforceTwoFactorActivation', { userId: other, enforce: true })
    expect(await login('tom@example.com')).toMatchObject({ step: 'enrollment-required' })
    expect((await env.cli('getSecurityOverview')).distribution).toMatchObject({ pending: 2, overdue: 1 })
    expect((await listAll({ status: 'overdue' })).emails).toEqual(['tom@example.com'])
    env.clock.advance(5 * DAY_MS)
    expect((await env.cli('getSecurityOverview')).distribution).toMatchObject({ pending: 2, overdue: 2 })
    expect((await listAll({ status: 'overdue', sort: 'email', direction: 'desc' })).emails).toEqual(['tom@example.com', 'maria@example.com'])
    expectDeadlineCountsExact()
    // Activation, a group move, a role change and an exemption move users out of (and between) the counts.
    const maria = env.screen()
    await login('maria@example.com', maria)
    await enroll(env, maria)
    const sales = await group('Sales')
    await members(sales.id, 'tom@example.com')
    expectDeadlineCountsExact()
    await env.cli('updateUser', { userId: other, role: 'admin' })
    expectDeadlineCountsExact()
    await env.cli('updateUser', { userId: other, role: 'user' })
    await env.cli('setEnforcement', { userId: other, enforcement: 'exempt' })
    expectDeadlineCountsExact()
    expect(env.db.prepare('SELECT count(*) FROM individual_deadline_counts').pluck().get()).toBe(0)
  })

  it('administrators get no grace period: they are enforced at once, always', async () => {
    await addUser(env, 'root@example.com', 'admin')
    await env.cli('enforceForAllUsers', { graceDays: 30 })
    expect(await login('root@example.com')).toMatchObject({ step: 'enrollment-required' })
    expect(await row('root@example.com')).toMatchObject({ enforcementSource: 'role', deadline: null, overdue: true })
  })

  it('a grace period outside 0..365 whole days is refused and changes nothing', async () => {
    const before = env.db.prepare('SELECT * FROM enforcement_policy').get()
    for (const graceDays of [-1, 366, 1.5, '3', null]) {
      const result = await env.core.dispatch('enforceForAllUsers', { kind: 'cli' }, { graceDays } as never)
      expect(result.ok, String(graceDays)).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('VALIDATION')
    }
    expect(env.db.prepare('SELECT * FROM enforcement_policy').get()).toEqual(before)
  })

  it('RADIUS accepts the password alone during the grace period with a Reply-Message reminder, and refuses after it', async () => {
    await addUser(env, 'maria@example.com')
    await env.cli('enforceForAllUsers', { graceDays: 2 })
    const decide = () => env.core.local.radiusSignIn.decide({ name: 'vpn', require2fa: false }, 'maria@example.com', PASSWORD, null)
    const during = await decide()
    expect(during.kind).toBe('accept')
    expect(during.reply).toMatch(/2FA will be required for your account from \d{4}-\d{2}-\d{2} \(2 days left\)/)
    // A client that requires 2FA of everyone still does, grace period or not.
    expect(await env.core.local.radiusSignIn.decide({ name: 'wifi', require2fa: true }, 'maria@example.com', PASSWORD, null)).toMatchObject({ kind: 'reject', reply: CLIENT_REQUIRES_2FA })
    env.clock.advance(2 * DAY_MS)
    expect(await decide()).toMatchObject({ kind: 'reject', reply: ACTIVATE_FIRST })
  })
})

describe('groups', () => {
  it('enforcing a group says beforehand how many will have to activate and how many are overdue at once, exactly', async () => {
    for (const x of ['a', 'b', 'c', 'd']) await addUser(env, `${x}@example.com`)
    const sales = await group('Sales')
    await members(sales.id, 'a@example.com', 'b@example.com', 'c@example.com')
    // c activates 2FA; b is already enforced individually (with 3 days).
    const c = env.screen()
    await login('c@example.com', c)
    await enroll(env, c)
    await env.cli('setEnforcement', { userId: (await row('b@example.com')).id, enforcement: 'enforced', graceDays: 3 })
    const target = { kind: 'group' as const, groupId: sales.id }
    expect(await env.cli('previewEnforcement', { target })).toEqual({ willHaveToActivate: 1, overdueAtOnce: 1, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    expect(await env.cli('previewEnforcement', { target, graceDays: 10 })).toEqual({ willHaveToActivate: 1, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    // Enforcing for all would add a and d (b is enforced already, c is active, the admin too).
    expect(await env.cli('previewEnforcement', { target: { kind: 'all' } })).toEqual({ willHaveToActivate: 2, overdueAtOnce: 2, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 10 })
    expect(await env.cli('previewEnforcement', { target, revoke: true })).toEqual({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 1, newlyOverdue: 0 })
    // Moving the deadline to now: a is already pending (not overdue), and would be overdue at once.
    expect(await env.cli('previewEnforcement', { target, graceDays: 0 })).toEqual({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 1 })
    // The exemption group: with the policy on, making Sales the exemption group leaves d (no group) enforced and a with its group.
    await env.cli('enforceForAllUsers', {})
    expect(await env.cli('previewEnforcement', { target: { kind: 'exemption', groupId: sales.id } })).toEqual({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    await env.cli('revokeGroupEnforcement', { groupId: sales.id })
    expect(await env.cli('previewEnforcement', { target: { kind: 'exemption', groupId: sales.id } })).toEqual({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 1, newlyOverdue: 0 })
    await env.cli('setPolicyExemptionGroup', { groupId: sales.id })
    expect((await row('a@example.com')).status).toBe('inactive')
    expect(await env.cli('previewEnforcement', { target: { kind: 'exemption', groupId: null } })).toEqual({ willHaveToActivate: 1, overdueAtOnce: 1, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 10 })
    // a by Sales (10 days), b individually (3 days), d by the policy at once; c and the admin active.
    expect((await env.cli('getSecurityOverview')).distribution).toMatchObject({ pending: 3, overdue: 1 })
  })

  it('adding people to an enforced group says who now has to activate, and a dry run changes nothing (Google: moved into an enforced unit without warning)', async () => {
    for (const x of ['a', 'b']) await addUser(env, `${x}@example.com`)
    const sales = await group('Sales')
    await env.cli('enforceGroup', { groupId: sales.id })
    const before = env.db.prepare('SELECT * FROM group_members').all()
    const dry = await env.cli('addGroupMembers', { groupId: sales.id, emails: ['a@example.com', 'b@example.com'], dryRun: true })
    expect(dry).toMatchObject({ changed: 2, effect: { willHaveToActivate: 2, overdueAtOnce: 2 } })
    expect(env.db.prepare('SELECT * FROM group_members').all()).toEqual(before)
    expect((await env.cli('getGroup', { groupId: sales.id })).members).toBe(0)
    const done = await env.cli('addGroupMembers', { groupId: sales.id, emails: ['a@example.com', 'b@example.com'] })
    expect(done).toMatchObject({ changed: 2, unchanged: 0, effect: { willHaveToActivate: 2 }, group: { members: 2 } })
    expect(await env.cli('addGroupMembers', { groupId: sales.id, emails: ['a@example.com'] })).toMatchObject({ changed: 0, unchanged: 1 })
  })

  it('a list with an unknown email changes nothing and names it', async () => {
    await addUser(env, 'a@example.com')
    const sales = await group('Sales')
    const result = await env.core.dispatch('addGroupMembers', { kind: 'cli' }, { groupId: sales.id, emails: ['a@example.com', 'nobody@example.com'] })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('nobody@example.com') })
    expect((await env.cli('getGroup', { groupId: sales.id })).members).toBe(0)
  })

  it('group names are unique ignoring case, and a deleted group takes its enforcement with it', async () => {
    await addUser(env, 'a@example.com')
    const sales = await group('Sales')
    expect((await env.core.dispatch('createGroup', { kind: 'cli' }, { name: 'SALES' })).ok).toBe(false)
    await members(sales.id, 'a@example.com')
    await env.cli('enforceGroup', { groupId: sales.id })
    expect((await row('a@example.com')).status).toBe('pending')
    await env.cli('deleteGroup', { groupId: sales.id })
    expect(await row('a@example.com')).toMatchObject({ status: 'inactive', groups: [] })
    expect((await env.cli('getSecurityOverview')).distribution).toMatchObject({ pending: 0, inactive: 1 })
  })

  it('removing a member from an enforced group and changing the exemption group need a recent re-authentication', async () => {
    await addUser(env, 'a@example.com')
    const sales = await group('Sales')
    await members(sales.id, 'a@example.com')
    await env.cli('enforceGroup', { groupId: sales.id })
    const screen = await signedInAdmin()
    env.clock.advance(10 * 60_000)
    expect((await screen.fail('removeGroupMembers', { groupId: sales.id, emails: ['a@example.com'] })).code).toBe('REAUTH_REQUIRED')
    expect((await screen.fail('setPolicyExemptionGroup', { groupId: sales.id })).code).toBe('REAUTH_REQUIRED')
    expect((await screen.fail('revokeGroupEnforcement', { groupId: sales.id })).code).toBe('REAUTH_REQUIRED')
    expect((await env.cli('getGroup', { groupId: sales.id })).members).toBe(1)
  })
})

/** individual_deadline_counts (kept by triggers) against a recount of the rows it stands for. */
function expectDeadlineCountsExact(): void {
  const kept = env.db.prepare('SELECT tfa_class, deadline, users FROM individual_deadline_counts ORDER BY 1, 2').all()
  const recount = env.db
    .prepare(
      `SELECT tfa_class, coalesce(enforcement_deadline, 0) AS deadline, count(*) AS users FROM users
       WHERE enforcement = 'enforced' AND role <> 'admin' AND has_totp = 0 GROUP BY 1, 2 ORDER BY 1, 2`
    )
    .all()
  expect(kept).toEqual(recount)
}

/** A confirmed credential row (its trigger marks the user's class active); the secret is never used here. */
function activate(userId: number): void {
  env.db.prepare("INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at) VALUES (?, x'00', 'SHA1', 6, 30, 0)").run(userId)
}

/** A second administrator, signed in with both factors (enrollment), whose re-authentication ages with the clock. */
async function signedInAdmin(): Promise<Screen> {
  await addUser(env, 'boss@example.com', 'admin')
  const screen = env.screen()
  await screen.ok('login', { email: 'boss@example.com', password: PASSWORD })
  await enroll(env, screen)
  return screen
}

describe('a group of 100,000 members', () => {
  it('is enforced with a constant number of row writes, and every count that follows is exact', async () => {
    const N = 100_000
    const db = env.db
    db.transaction(() => {
      const insert = db.prepare("INSERT INTO users (name, email, role, created_at, updated_at, demo) VALUES (?, ?, 'user', 0, 0, 1)")
      for (let i = 0; i < N + 500; i++) insert.run(`Member ${i}`, `member${i}@example.com`)
    })()
    const big = await group('Everyone in sales')
    db.prepare("INSERT INTO group_members (group_id, user_id) SELECT ?, id FROM users WHERE email LIKE 'member%' ORDER BY id LIMIT ?").run(big.id, N)
    // A few members have 2FA already (a credential row, whose trigger sets has_totp), a few are exempt.
    db.prepare(
      `INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at)
       SELECT user_id, x'00', 'SHA1', 6, 30, 0 FROM group_members WHERE group_id = ? ORDER BY user_id LIMIT 700`
    ).run(big.id)
    db.prepare("UPDATE users SET enforcement = 'exempt' WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id DESC LIMIT 300)").run(big.id)

    const changesBefore = db.prepare('SELECT total_changes()').pluck().get() as number
    const preview = await env.cli('previewEnforcement', { target: { kind: 'group', groupId: big.id }, graceDays: 14 })
    const summary = await env.cli('enforceGroup', { groupId: big.id, graceDays: 14 })
    const written = (db.prepare('SELECT total_changes()').pluck().get() as number) - changesBefore
    // The group row, its audit entry (and the audit chain's own rows), the day's history row: never per member.
    expect(written).toBeLessThan(20)

    const recount = db
      .prepare(
        `SELECT count(*) FILTER (WHERE u.has_totp = 1) AS active,
                count(*) FILTER (WHERE u.has_totp = 0 AND u.enforcement <> 'exempt') AS pending,
                count(*) FILTER (WHERE u.has_totp = 0 AND u.enforcement = 'exempt') AS inactive
         FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ?`
      )
      .get(big.id) as { active: number; pending: number; inactive: number }
    expect(recount).toEqual({ active: 700, pending: N - 1000, inactive: 300 })
    expect(preview).toEqual({ willHaveToActivate: recount.pending, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    expect(summary.distribution).toEqual({ total: N, active: 700, pending: recount.pending, inactive: 300, overdue: 0 })
    const overview = await env.cli('getSecurityOverview')
    expect(overview.distribution).toEqual({ total: N + 501, active: 701, pending: recount.pending, inactive: 500 + 300, overdue: 0 })
    expect((await env.cli('listUsers', { status: 'pending', limit: 1 })).total).toBe(recount.pending)
    expect((await env.cli('listUsers', { groupId: big.id, status: 'inactive', limit: 1 })).total).toBe(300)

    env.clock.advance(14 * DAY_MS)
    expect((await env.cli('getSecurityOverview')).distribution.overdue).toBe(recount.pending)
    expect((await env.cli('listUsers', { status: 'overdue', limit: 1 })).total).toBe(recount.pending)
    const revoked = await env.cli('revokeGroupEnforcement', { groupId: big.id })
    expect(revoked.distribution).toMatchObject({ pending: 0, inactive: N - 700 })
  }, 120_000)
})


describe('many combinations of groups', () => {
  it('every filter, sort order and jump lists exactly the matching users when more classes exist than a page merges', async () => {
    const db = env.db
    const groups: number[] = []
    for (let g = 0; g < 7; g++) groups.push((await group(`Team ${g}`)).id)
    db.transaction(() => {
      const insert = db.prepare("INSERT INTO users (name, email, role, created_at, updated_at, demo) VALUES (?, ?, 'user', 0, 0, 1)")
      const member = db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)')
      for (let i = 0; i < 600; i++) {
        const id = Number(insert.run(`Person ${(i * 7919) % 600}`, `p${i}@example.com`).lastInsertRowid)
        // Each user in the groups of the bits of i mod 128: up to 128 combinations.
        groups.forEach((groupId, bit) => {
          if ((i % 128) & (1 << bit)) member.run(groupId, id)
        })
        if (i % 5 === 0) activate(id)
      }
    })()
    // A few users enforced individually, spread over the combinations: rare `always@` classes, half of them overdue.
    db.prepare("UPDATE users SET enforcement = 'enforced', enforcement_deadline = CASE WHEN id % 2 = 0 THEN 0 ELSE 9000000000000000 END WHERE id % 20 = 3 AND id > 1").run()
    const classes = db.prepare("SELECT count(*) FROM class_counts WHERE users > 0 AND tfa_class GLOB 'inherit@*'").pluck().get() as number
    expect(classes).toBeGreaterThan(60)
    expect(db.prepare("SELECT count(*) FROM class_counts WHERE users > 0 AND tfa_class GLOB 'always@*'").pluck().get()).toBeGreaterThan(20)
    await env.cli('enforceGroup', { groupId: groups[0]! })
    await env.cli('enforceGroup', { groupId: groups[3]!, graceDays: 5 })
    await env.cli('setPolicyExemptionGroup', { groupId: groups[6]! })
    await env.cli('enforceForAllUsers', { graceDays: 2 })

    // The truth, from the rule applied to every row.
    const all: UserRow[] = []
    for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
      const page = await env.cli('listUsers', { limit: 200, ...(cursor ? { cursor } : {}) })
      all.push(...page.users)
      cursor = page.nextCursor ?? undefined
    }
    expect(all).toHaveLength(601)
    const matching = (filter: TwoFactorFilter | undefined, groupName?: string) =>
      all.filter((user) => (filter === undefined || (filter === 'overdue' ? user.status === 'pending' && user.overdue : user.status === filter)) && (groupName === undefined || user.groups.includes(groupName)))
    for (const filter of [undefined, 'active', 'pending', 'overdue', 'inactive'] as const) {
      for (const groupName of [undefined, 'Team 2']) {
        const want = matching(filter, groupName).map((user) => user.email).sort()
        const groupId = groupName === undefined ? undefined : groups[2]!
        for (const sort of ['name', 'email', 'role', 'status'] as const) {
          for (const direction of ['asc', 'desc'] as const) {
            const listed = await listAll({ status: filter, groupId, sort, direction })
            const label = `${filter ?? 'all'} ${groupName ?? ''} by ${sort} ${direction}`
            expect(new Set(listed.emails).size, label).toBe(listed.emails.length)
            expect([...listed.emails].sort(), label).toEqual(want)
            expect(listed.total, label).toBe(want.length)
            // A jump to a position lands where paging from the start does.
            if (want.length > 10) {
              const at = Math.floor(want.length / 2)
              const jumped = await env.cli('listUsers', { status: filter, groupId, sort, direction, position: at, limit: 3 })
              expect(jumped.users.map((user) => user.email), label).toEqual(listed.emails.slice(at, at + 3))
            }
          }
        }
      }
    }
  }, 120_000)
})

describe('attacks on a grace-period sign-in', () => {
  it('60 parallel wrong passwords for a user in a grace period stop at the lockout; the right one is refused then', async () => {
    await addUser(env, 'maria@example.com')
    await env.cli('enforceForAllUsers', { graceDays: 7 })
    const attempts = Array.from({ length: 60 }, (_, i) => env.screen().call('login', { email: 'maria@example.com', password: i === 59 ? PASSWORD : `wrong guess ${i}` }))
    const results = await Promise.all(attempts)
    expect(results.every((result) => !result.ok), 'a sign-in got through the lockout').toBe(true)
    const codes = new Set(results.map((result) => (result.ok ? 'ok' : result.error.code)))
    for (const code of codes) expect(['ACCOUNT_LOCKED', 'INVALID_CREDENTIALS']).toContain(code)
    const failures = env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND target = 'maria@example.com'").pluck().get() as number
    expect(failures).toBeLessThanOrEqual(10)
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
  })
})

describe('how a page reads many classes', () => {
  const policy = { enforcedForAll: false, deadline: null, exemptGroupId: null, enforcedGroups: new Map(), groupsOfSet: () => [] }
  const rare = Array.from({ length: 100 }, (_, i) => `always@${i + 1}` as const)
  const dense = Array.from({ length: 100 }, (_, i) => `inherit@${i + 1}` as const)
  const counts = new Map<TwoFactorClass, number>([...rare.map((c) => [c, 3] as const), ...dense.map((c) => [c, 5_000] as const), ['inherit', 100_000]])

  it('merges one seek per class for a few, gathers and sorts rare ones, and filters one range of the order when they hold many users', () => {
    const source = (classes: readonly TwoFactorClass[], dueBy: number | null = null) => ({ filter: { classes, dueBy }, inUse: [...counts.keys()], policy, counts })
    const few = readArms('name', source(dense.slice(0, 2)))
    expect(few.map((arm) => arm.query.twoFactorClass)).toEqual(dense.slice(0, 2))
    const rareArms = readArms('name', source(rare))
    expect(rareArms).toHaveLength(1)
    expect(rareArms[0]!.query).toMatchObject({ twoFactorClasses: rare, gather: true })
    const denseArms = readArms('name', source(dense))
    expect(denseArms).toHaveLength(1)
    expect(denseArms[0]!.query.twoFactorClasses).toEqual(dense)
    expect(denseArms[0]!.query.gather).toBeUndefined()
    // The overdue test goes with the one statement: it tests the rows of `always` classes only.
    const mixed = readArms('name', source([...rare, ...dense], 5))
    expect(mixed).toHaveLength(1)
    expect(mixed[0]!.query).toMatchObject({ twoFactorClasses: [...rare, ...dense], dueBy: 5 })
  })
})
