// Bulk changes (issue 13): exact previews, one transaction through the rules of
// the single changes, one audit entry per changed user, counters still exact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BulkSelection } from '../../../src/shared/contract'
import { anchorPath, readAnchor } from '../../../src/main/core/audit/anchor'
import { chainKeyOf } from '../../../src/main/core/audit/chain'
import { contextOf } from '../../../src/main/core/open-core'
import { REAUTH_WINDOW_MS } from '../../../src/main/core/sessions'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
beforeEach(async () => {
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
})
afterEach(() => env.dispose())

function dump(): string {
  const tables = ['users', 'totp_credentials', 'totp_enrollments', 'recovery_codes', 'enforcement_policy', 'audit_log', 'class_counts']
  return JSON.stringify(tables.map((table) => env.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()))
}

/** The class counters equal a GROUP BY recount of the users. */
function expectCountersExact(): void {
  const counters = env.db.prepare('SELECT tfa_class, users FROM class_counts WHERE users > 0 ORDER BY tfa_class').all()
  const recount = env.db.prepare('SELECT tfa_class, count(*) AS users FROM users GROUP BY tfa_class ORDER BY tfa_class').all()
  expect(counters).toEqual(recount)
}

function auditCount(action: string): number {
  return (env.db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n
}

async function addUsers(prefix: string, n: number): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < n; i++) ids.push(await addUser(env, `${prefix}${String(i).padStart(3, '0')}@example.com`))
  return ids
}

async function chainHolds(): Promise<void> {
  const status = await env.cli('verifyWholeAuditLog')
  expect(status.broken).toBeNull()
}

describe('enforce, exempt, follow policy', () => {
  it('the preview says exactly what enforcing does; the change writes one audit entry per changed user and the counts stay exact', async () => {
    const users = await addUsers('u', 12)
    const admins = [await addUser(env, 'boss@example.com', 'admin'), await addUser(env, 'chief@example.com', 'admin')]
    await env.cli('setEnforcement', { userId: users[0]!, enforcement: 'enforced' })
    const selection: BulkSelection = { userIds: [...users, ...admins, 1] }
    const preview = await admin.ok('previewBulkChange', { selection, action: 'enforce' })
    expect(preview).toMatchObject({ selected: 15, willChange: 11, willHaveToActivate: 11, administratorsUnchanged: 3, alreadyInThatState: 1 })
    expect(preview.summary).toBe('11 users will have to activate 2FA at their next login; 3 administrators are always enforced and unchanged; 1 user already enforced individually is unchanged.')
    const before = auditCount('enforcement.user-changed')
    const done = await admin.ok('applyBulkChange', { selection, action: 'enforce', expectedChanges: 11 })
    expect(done.willChange).toBe(11)
    expect(done.summary).toMatch(/^11 users now have to activate 2FA at their next login/)
    expect(auditCount('enforcement.user-changed') - before).toBe(11)
    const pending = await admin.ok('listUsers', { status: 'pending' })
    expect(pending.total).toBe(12 + 2) // the 12 users, the two new admins (the first admin has 2FA)
    expectCountersExact()
    await chainHolds()
    // Again: nothing left to change, nothing written.
    const again = await admin.ok('applyBulkChange', { selection, action: 'enforce' })
    expect(again.willChange).toBe(0)
    expect(auditCount('enforcement.user-changed') - before).toBe(11)
  })

  it('exempt and follow policy count who no longer has to activate 2FA, under the policy', async () => {
    const users = await addUsers('u', 5)
    await env.cli('enforceForAllUsers', {})
    const exempt = await admin.ok('previewBulkChange', { selection: { userIds: users.slice(0, 3) }, action: 'exempt' })
    expect(exempt).toMatchObject({ willChange: 3, wouldNoLongerHaveTo: 3, willHaveToActivate: 0 })
    await admin.ok('applyBulkChange', { selection: { userIds: users.slice(0, 3) }, action: 'exempt' })
    expect((await admin.ok('listUsers', { status: 'inactive' })).total).toBe(3)
    const inherit = await admin.ok('previewBulkChange', { selection: { userIds: users }, action: 'inherit' })
    expect(inherit).toMatchObject({ willChange: 3, willHaveToActivate: 3, alreadyInThatState: 2 })
    expect(inherit.summary).toBe('3 users will follow the policy; 3 of them will have to activate 2FA; 2 users already following the policy are unchanged.')
    await admin.ok('applyBulkChange', { selection: { userIds: users }, action: 'inherit' })
    expect((await admin.ok('listUsers', { status: 'inactive' })).total).toBe(0)
    expectCountersExact()
  })
})

describe('selection by filter', () => {
  it('"all matching this filter" is exactly what listUsers counts, less the unticked rows', async () => {
    await addUsers('alpha', 30)
    await addUsers('beta', 20)
    const filter = { query: 'alpha' }
    const listed = await admin.ok('listUsers', filter)
    expect(listed.total).toBe(30)
    const preview = await admin.ok('previewBulkChange', { selection: { filter }, action: 'enforce' })
    expect(preview.selected).toBe(30)
    const except = listed.users.slice(0, 2).map((user) => user.id)
    const done = await admin.ok('applyBulkChange', { selection: { filter, exceptUserIds: except }, action: 'enforce' })
    expect(done).toMatchObject({ selected: 28, willChange: 28 })
    expect((await admin.ok('listUsers', { status: 'pending' })).total).toBe(28)
    const byStatus = await admin.ok('previewBulkChange', { selection: { filter: { status: 'pending' } }, action: 'exempt' })
    expect(byStatus.selected).toBe((await admin.ok('listUsers', { status: 'pending' })).total)
    expectCountersExact()
    // Written by the background worker on a connection of its own: the chain and its anchor still hold.
    await chainHolds()
    expect((await admin.ok('getAuditChainStatus')).broken).toBeNull()
    const last = env.db.prepare('SELECT id FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number }
    expect(readAnchor(anchorPath(env.dbPath), chainKeyOf(contextOf(env.core).dataKey.get()))).toMatchObject({ kind: 'ok', anchor: { id: last.id } })
    env.reopen()
    expect((await env.cli('getAuditChainStatus')).broken).toBeNull()
  })

  it('takes the filters beside the status too (role, disabled), exactly as the list does', async () => {
    await addUsers('u', 4)
    await addUser(env, 'boss@example.com', 'admin')
    const roleUser = await admin.ok('previewBulkChange', { selection: { filter: { role: 'user' } }, action: 'enforce' })
    expect(roleUser.selected).toBe((await admin.ok('listUsers', { role: 'user' })).total)
    expect(roleUser).toMatchObject({ selected: 4, administratorsUnchanged: 0 })
    await admin.ok('applyBulkChange', { selection: { userIds: [2, 3] }, action: 'disable' })
    const disabled = await admin.ok('previewBulkChange', { selection: { filter: { disabled: true } }, action: 'enforce' })
    expect(disabled.selected).toBe(2)
  })
})

describe('bad input changes nothing', () => {
  it('an unknown email, a vanished id, a stale confirmation: a typed error and nothing changed', async () => {
    const users = await addUsers('u', 3)
    const before = dump()
    const unknown = await admin.fail('applyBulkChange', { selection: { emails: ['u000@example.com', 'nobody@example.com'] }, action: 'enforce' })
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', field: 'emails' })
    expect(unknown.message).toContain('nobody@example.com')
    expect((await admin.fail('applyBulkChange', { selection: { userIds: [...users, 9999] }, action: 'enforce' })).code).toBe('NOT_FOUND')
    const stale = await admin.fail('applyBulkChange', { selection: { userIds: users }, action: 'enforce', expectedChanges: 2 })
    expect(stale).toMatchObject({ code: 'VALIDATION', field: 'expectedChanges' })
    expect((await admin.fail('applyBulkChange', { selection: { userIds: [] }, action: 'enforce' })).code).toBe('VALIDATION')
    expect((await admin.fail('applyBulkChange', { selection: { filter: { everyone: true } }, action: 'enforce' })).code).toBe('VALIDATION')
    expect(dump()).toBe(before)
  })

  it('needs a recent re-authentication from a screen; the preview does not', async () => {
    const users = await addUsers('u', 2)
    env.clock.advance(REAUTH_WINDOW_MS + 1)
    const before = dump()
    expect((await admin.ok('previewBulkChange', { selection: { userIds: users }, action: 'enforce' })).willChange).toBe(2)
    for (const action of ['enforce', 'exempt', 'inherit', 'unlock', 'resetTwoFactor', 'disable'] as const) {
      expect((await admin.fail('applyBulkChange', { selection: { userIds: users }, action })).code, action).toBe('REAUTH_REQUIRED')
    }
    expect(dump()).toBe(before)
    await admin.ok('reauthenticate', { password: PASSWORD })
    expect((await admin.ok('applyBulkChange', { selection: { userIds: users }, action: 'enforce' })).willChange).toBe(2)
  })

  it('a non-admin gets FORBIDDEN', async () => {
    await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    for (const method of ['previewBulkChange', 'applyBulkChange'] as const) {
      expect((await maria.fail(method, { selection: { filter: {} }, action: 'disable' })).code).toBe('FORBIDDEN')
    }
  })
})

describe('disable, reset 2FA, unlock', () => {
  it('disable leaves out the caller and the last active administrator, and ends the disabled users\' sessions', async () => {
    const users = await addUsers('u', 3)
    const maria = env.screen()
    await maria.ok('login', { email: 'u000@example.com', password: PASSWORD })
    const all = { filter: {} }
    const preview = await admin.ok('previewBulkChange', { selection: all, action: 'disable' })
    expect(preview).toMatchObject({ selected: 4, willChange: 3, blockedSelf: 1 })
    await admin.ok('applyBulkChange', { selection: all, action: 'disable' })
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect(auditCount('user.updated')).toBe(3)
    // The command line has no account: the last active administrator stays enabled.
    const cli = await env.cli('applyBulkChange', { selection: all, action: 'disable' })
    expect(cli).toMatchObject({ willChange: 0, blockedLastAdmin: 1, alreadyInThatState: 3 })
    expect(cli.summary).toContain('the last active administrator stays enabled')
    expect((await admin.ok('getUser', { userId: 1 })).disabled).toBe(false)
    void users
  })

  it('the last-admin rule keeps one of several administrators the command line disables', async () => {
    const boss = await addUser(env, 'boss@example.com', 'admin')
    const result = await env.cli('applyBulkChange', { selection: { userIds: [1, boss] }, action: 'disable' })
    expect(result).toMatchObject({ willChange: 1, blockedLastAdmin: 1 })
    const enabledAdmins = (env.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n
    expect(enabledAdmins).toBe(1)
  })

  it('reset 2FA removes the authenticator and recovery codes of others, never the caller\'s own', async () => {
    const mariaId = await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    await enroll(env, maria)
    const other = await addUser(env, 'plain@example.com')
    await env.cli('enforceForAllUsers', {})
    const preview = await admin.ok('previewBulkChange', { selection: { userIds: [1, mariaId, other] }, action: 'resetTwoFactor' })
    expect(preview).toMatchObject({ willChange: 1, blockedSelf: 1, alreadyInThatState: 1, willHaveToActivate: 1 })
    await admin.ok('applyBulkChange', { selection: { userIds: [1, mariaId, other] }, action: 'resetTwoFactor' })
    expect(env.db.prepare('SELECT user_id FROM totp_credentials ORDER BY 1').all()).toEqual([{ user_id: 1 }])
    expect(env.db.prepare('SELECT count(*) AS n FROM recovery_codes WHERE user_id = ?').get(mariaId)).toEqual({ n: 0 })
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect(auditCount('2fa.reset')).toBe(1)
    expectCountersExact()
    await chainHolds()
  })

  it('unlock clears the failed sign-ins of locked users only', async () => {
    const users = await addUsers('u', 3)
    const stranger = env.screen()
    for (let i = 0; i < 12; i++) await stranger.call('login', { email: 'u001@example.com', password: 'wrong password here' })
    const preview = await admin.ok('previewBulkChange', { selection: { userIds: users }, action: 'unlock' })
    expect(preview).toMatchObject({ willChange: 1, alreadyInThatState: 2 })
    await admin.ok('applyBulkChange', { selection: { userIds: users }, action: 'unlock' })
    expect(env.db.prepare('SELECT failed_attempts, locked_until FROM users WHERE id = ?').get(users[1])).toEqual({ failed_attempts: 0, locked_until: null })
    expect(auditCount('account.unlocked')).toBe(1)
  })
})

describe('Copy instructions', () => {
  it('names the apps and the deadline the rules give', async () => {
    const users = await addUsers('u', 2)
    const none = await admin.ok('bulkInstructions', { selection: { userIds: users } })
    expect(none).toMatchObject({ users: 2, deadline: null })
    expect(none.text).toContain('Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis or 1Password')
    expect(none.text).toContain('When: there is no deadline.')
    await env.cli('enforceForAllUsers', { graceDays: 14 })
    const all = await admin.ok('bulkInstructions', {})
    expect(all.deadline).toBe(env.clock.now() + 14 * 86_400_000)
    expect(all.text).toMatch(/activate 2FA by \d{1,2} December 2026 \(UTC\)/)
    await env.cli('setEnforcement', { userId: users[0]!, enforcement: 'enforced' })
    const now = await admin.ok('bulkInstructions', { selection: { userIds: users } })
    expect(now.deadline).toBeNull()
    expect(now.text).toContain('you activate it at your next sign-in')
  })

  it('reads all users or a filter in the background task, a few explicit users in the calling thread', async () => {
    const users = await addUsers('u', 2)
    const background = contextOf(env.core).background
    const tasks: string[] = []
    const run = background.run.bind(background)
    background.run = ((name, ...rest) => {
      tasks.push(name)
      return run(name, ...rest)
    }) as typeof background.run
    try {
      expect((await admin.ok('bulkInstructions', {})).users).toBe(3)
      expect((await admin.ok('bulkInstructions', { selection: { filter: { role: 'user' } } })).users).toBe(2)
      expect(tasks).toEqual(['bulkInstructions', 'bulkInstructions'])
      expect((await admin.ok('bulkInstructions', { selection: { userIds: users } })).users).toBe(2)
      expect(tasks).toHaveLength(2)
    } finally {
      background.run = run
    }
  })
})
