import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiMethod } from '../../../src/shared/contract'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

async function signedInUser(email: string): Promise<Screen> {
  const screen = env.screen()
  const step = await screen.ok('login', { email, password: PASSWORD })
  expect(step.step).toBe('signed-in')
  return screen
}

function dump(): string {
  // Everything an admin operation could change, compared before and after.
  const tables = ['users', 'totp_credentials', 'totp_enrollments', 'recovery_codes', 'enforcement_policy', 'audit_log']
  return JSON.stringify(tables.map((table) => env.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()))
}

describe('authorization lives in the service', () => {
  const ADMIN_CALLS: [ApiMethod, Record<string, unknown>][] = [
    ['listUsers', {}],
    ['getUser', { userId: 1 }],
    ['createUser', { name: 'Eve', email: 'eve@example.com', role: 'admin', password: PASSWORD }],
    ['updateUser', { userId: 1, role: 'user' }],
    ['setEnforceTwoFactorActivation', { userId: 2, enforce: true }],
    ['setEnforcement', { userId: 2, enforcement: 'exempt' }],
    ['resetTwoFactor', { userId: 1 }],
    ['unlockUser', { userId: 1 }],
    ['getSecurityOverview', {}],
    ['getTwoFactorHistory', {}],
    ['enforceForAllUsers', {}],
    ['revokeEnforcement', {}],
    ['listAudit', {}]
  ]

  it('a non-admin session calling any admin operation gets FORBIDDEN and nothing changes', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const maria = await signedInUser('maria@example.com')
    const before = dump()
    for (const [method, input] of ADMIN_CALLS) {
      const error = await maria.fail(method, input)
      expect(error.code, method).toBe('FORBIDDEN')
    }
    expect(dump()).toBe(before)
  })

  it('a caller without a session gets UNAUTHENTICATED for every admin and account operation', async () => {
    await setUpAdmin(env)
    const stranger = env.screen()
    const before = dump()
    for (const [method, input] of ADMIN_CALLS) expect((await stranger.fail(method, input)).code, method).toBe('UNAUTHENTICATED')
    for (const method of ['getMyAccount', 'startEnrollment'] as const) expect((await stranger.fail(method)).code).toBe('UNAUTHENTICATED')
    expect(dump()).toBe(before)
  })

  it('a demoted admin loses admin rights at once', async () => {
    const { screen } = await setUpAdmin(env)
    const bobId = await addUser(env, 'bob@example.com', 'admin')
    const bob = env.screen()
    await bob.ok('login', { email: 'bob@example.com', password: PASSWORD })
    await enroll(env, bob)
    await screen.ok('updateUser', { userId: bobId, role: 'user' })
    expect((await bob.fail('listUsers')).code).toBe('UNAUTHENTICATED')
  })
})

describe('the last administrator', () => {
  it('cannot be demoted or disabled, by the CLI or by another session', async () => {
    const { screen } = await setUpAdmin(env)
    const adminId = (await screen.ok('getMyAccount')).me.id
    const cli = async (input: Record<string, unknown>) => (await env.core.dispatch('updateUser', { kind: 'cli' }, input))
    const demote = await cli({ userId: adminId, role: 'user' })
    expect(demote.ok ? null : demote.error.code).toBe('LAST_ADMIN')
    const disable = await cli({ userId: adminId, disabled: true })
    expect(disable.ok ? null : disable.error.code).toBe('LAST_ADMIN')
    expect((await screen.fail('updateUser', { userId: adminId, disabled: true })).code).toBe('FORBIDDEN')
    expect((await env.cli('getUser', { userId: adminId })).role).toBe('admin')

    // With a second active admin the first may be demoted.
    await addUser(env, 'bob@example.com', 'admin')
    expect((await env.cli('updateUser', { userId: adminId, role: 'user' })).role).toBe('user')
  })
})

describe('enforcement', () => {
  it('"Enforce 2FA for all users" turns users pending and "Revoke enforcement" reverses it; individually enforced users stay enforced', async () => {
    const { screen } = await setUpAdmin(env)
    const maria = await addUser(env, 'maria@example.com')
    const tom = await addUser(env, 'tom@example.com')
    const sam = await addUser(env, 'sam@example.com')
    await screen.ok('setEnforceTwoFactorActivation', { userId: tom, enforce: true })
    let overview = await screen.ok('getSecurityOverview')
    // No grace period: everyone pending is overdue.
    expect(overview.distribution).toEqual({ total: 4, active: 1, pending: 1, inactive: 2, overdue: 1 })
    expect(overview.wouldBecomePending).toBe(2)

    overview = await screen.ok('enforceForAllUsers')
    expect(overview.enforcedForAll).toBe(true)
    expect(overview.enforcedBy).toBe('admin@example.com')
    expect(overview.distribution).toEqual({ total: 4, active: 1, pending: 3, inactive: 0, overdue: 3 })

    // Unchecking under global enforcement exempts.
    const exempted = await screen.ok('setEnforceTwoFactorActivation', { userId: sam, enforce: false })
    expect(exempted).toMatchObject({ enforcement: 'exempt', enforced: false, status: 'inactive' })

    overview = await screen.ok('revokeEnforcement')
    expect(overview.enforcedForAll).toBe(false)
    expect((await screen.ok('getUser', { userId: maria })).status).toBe('inactive')
    expect((await screen.ok('getUser', { userId: tom })).status).toBe('pending')
    const actions = (await screen.ok('listAudit', {})).entries.map((entry) => entry.action)
    expect(actions).toContain('enforcement.all-enforced')
    expect(actions).toContain('enforcement.all-revoked')
  })

  it('never deletes a credential when enforcing or exempting', async () => {
    const { screen } = await setUpAdmin(env)
    const maria = await addUser(env, 'maria@example.com')
    const mariaScreen = await signedInUser('maria@example.com')
    await enroll(env, mariaScreen)
    for (const enforcement of ['enforced', 'exempt', 'inherit'] as const) {
      await screen.ok('setEnforcement', { userId: maria, enforcement })
      expect((await screen.ok('getUser', { userId: maria })).status).toBe('active')
    }
    await screen.ok('enforceForAllUsers')
    await screen.ok('revokeEnforcement')
    const user = await screen.ok('getUser', { userId: maria })
    expect(user.status).toBe('active')
    expect(user.recoveryCodesRemaining).toBe(10)
  })

  it('administrators cannot be exempted', async () => {
    const { screen } = await setUpAdmin(env)
    const bob = await addUser(env, 'bob@example.com', 'admin')
    expect((await screen.fail('setEnforceTwoFactorActivation', { userId: bob, enforce: false })).code).toBe('ADMIN_ALWAYS_ENFORCED')
    expect((await screen.fail('setEnforcement', { userId: bob, enforcement: 'exempt' })).code).toBe('ADMIN_ALWAYS_ENFORCED')
    expect((await screen.ok('getUser', { userId: bob })).status).toBe('pending')
  })
})

describe('self-service 2FA', () => {
  it('a user may deactivate 2FA with a current code only while it is not enforced', async () => {
    const { screen } = await setUpAdmin(env)
    const mariaId = await addUser(env, 'maria@example.com')
    await screen.ok('setEnforceTwoFactorActivation', { userId: mariaId, enforce: true })
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    const { secret } = await enroll(env, maria)

    const account = await maria.ok('getMyAccount')
    expect(account).toMatchObject({ enforced: true, canDeactivate: false, status: 'active' })
    const refused = await maria.fail('deactivateMyTwoFactor', { code: codeAt(secret, env.clock.now()) })
    expect(refused.code).toBe('ENFORCED_BY_ADMIN')
    expect(refused.message).toBe('2FA is enforced for your account, so you cannot deactivate it.')

    await screen.ok('setEnforceTwoFactorActivation', { userId: mariaId, enforce: false })
    expect((await maria.ok('getMyAccount')).canDeactivate).toBe(true)
    expect((await maria.fail('deactivateMyTwoFactor', { code: '000000' })).code).toBe('INVALID_CODE')
    const after = await maria.ok('deactivateMyTwoFactor', { code: codeAt(secret, env.clock.now()) })
    expect(after).toMatchObject({ status: 'inactive', recoveryCodesRemaining: 0 })
  })

  it('regenerating recovery codes replaces the old ones', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const maria = await signedInUser('maria@example.com')
    const { secret, recoveryCodes } = await enroll(env, maria)
    const fresh = await maria.ok('regenerateRecoveryCodes', { code: codeAt(secret, env.clock.now()) })
    expect(fresh.recoveryCodes).toHaveLength(10)
    await maria.ok('logout')
    const again = env.screen()
    await again.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await again.fail('verifyRecoveryCode', { code: recoveryCodes[0] ?? '' })).code).toBe('INVALID_CODE')
    expect((await again.ok('verifyRecoveryCode', { code: fresh.recoveryCodes[0] ?? '' })).step).toBe('signed-in')
  })

  it('changes the password after checking the current one', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const maria = await signedInUser('maria@example.com')
    expect((await maria.fail('changePassword', { currentPassword: 'not my password', newPassword: 'a brand new password' })).code).toBe('INVALID_CREDENTIALS')
    await maria.ok('changePassword', { currentPassword: PASSWORD, newPassword: 'a brand new password' })
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('INVALID_CREDENTIALS')
    expect((await env.screen().ok('login', { email: 'maria@example.com', password: 'a brand new password' })).step).toBe('signed-in')
  })
})

describe('lost phone: reset 2FA', () => {
  it('removes the credential and recovery codes; an enforced user becomes pending and re-enrolls', async () => {
    const { screen } = await setUpAdmin(env)
    const mariaId = await addUser(env, 'maria@example.com')
    await screen.ok('enforceForAllUsers')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    await enroll(env, maria)

    const reset = await screen.ok('resetTwoFactor', { userId: mariaId })
    expect(reset).toMatchObject({ status: 'pending', recoveryCodesRemaining: 0 })
    // Her open session ended with the reset.
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    const again = env.screen()
    expect((await again.ok('login', { email: 'maria@example.com', password: PASSWORD })).step).toBe('enrollment-required')
    await enroll(env, again)
    expect((await screen.ok('getUser', { userId: mariaId })).status).toBe('active')
  })
})

describe('users', () => {
  it('refuses a second account with the same email in another case', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const result = await env.core.dispatch('createUser', { kind: 'cli' }, { name: 'M', email: 'MARIA@example.com', role: 'user', password: PASSWORD })
    expect(result.ok ? null : result.error).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' })
  })

  it('a disabled user cannot sign in and their sessions end', async () => {
    const { screen } = await setUpAdmin(env)
    const mariaId = await addUser(env, 'maria@example.com')
    const maria = await signedInUser('maria@example.com')
    await screen.ok('updateUser', { userId: mariaId, disabled: true })
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    // The right password answers exactly as a wrong one: nothing confirms it to whoever typed it.
    const right = await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })
    const wrong = await env.screen().fail('login', { email: 'maria@example.com', password: 'not the password at all' })
    expect(right).toEqual(wrong)
    expect(right.code).toBe('INVALID_CREDENTIALS')
  })

  it('pages through users by keyset, filters by status and searches by name or email', async () => {
    const { screen } = await setUpAdmin(env)
    for (let i = 0; i < 25; i++) await addUser(env, `user${String(i).padStart(2, '0')}@example.com`)
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await screen.ok('listUsers', { limit: 7, sort: 'email', direction: 'desc', ...(cursor ? { cursor } : {}) })
      expect(page.total).toBe(26)
      seen.push(...page.users.map((user) => user.email))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toHaveLength(26)
    expect(seen).toEqual([...seen].sort().reverse())
    expect((await screen.ok('listUsers', { status: 'pending' })).total).toBe(0)
    expect((await screen.ok('listUsers', { status: 'inactive' })).total).toBe(25)
    expect((await screen.ok('listUsers', { status: 'active' })).users.map((u) => u.email)).toEqual(['admin@example.com'])
    expect((await screen.ok('listUsers', { query: 'user1' })).total).toBe(10)
    expect((await screen.ok('listUsers', { query: '%' })).total).toBe(0)
    expect((await screen.fail('listUsers', { cursor: 'not-a-cursor' })).code).toBe('VALIDATION')
  })
})

describe('jumping to a row of the Users list', () => {
  it('answers listUsers({ position }) with the rows at that position and where the page starts', async () => {
    const { screen } = await setUpAdmin(env)
    for (let i = 0; i < 30; i++) await addUser(env, `user${String(i).padStart(2, '0')}@example.com`)
    const all: string[] = []
    let cursor: string | undefined
    do {
      const page = await screen.ok('listUsers', { sort: 'email', limit: 500, ...(cursor ? { cursor } : {}) })
      all.push(...page.users.map((user) => user.email))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    for (const position of [0, 7, 30]) {
      const page = await screen.ok('listUsers', { sort: 'email', position, limit: 5 })
      expect(page.start).toBe(position)
      expect(page.users.map((user) => user.email)).toEqual(all.slice(position, position + 5))
    }
    const past = await screen.ok('listUsers', { sort: 'email', position: 1000, limit: 5 })
    expect(past).toMatchObject({ users: [], start: all.length })
    const both = await screen.fail('listUsers', { position: 3, cursor: 'x' })
    expect(both).toMatchObject({ code: 'VALIDATION', field: 'position' })
    expect((await screen.fail('listUsers', { position: -1 })).code).toBe('VALIDATION')
  })
})
