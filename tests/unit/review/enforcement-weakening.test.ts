// Found in the review of issue 12, kept as regression tests: an admin screen
// WITHOUT a recent re-authentication (a screen left unlocked) must not give an
// already overdue user a new grace period (sign-in with the password alone in
// the app and over RADIUS), and no group's grace period may postpone a deadline
// the policy already set: the earliest deadline of all that apply holds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DAY_MS } from '../../../src/shared/domain'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
})
afterEach(() => env.dispose())

const MARIA = 'maria@example.com'
const radius = () => env.core.local.radiusSignIn.decide({ name: 'vpn', require2fa: false }, MARIA, PASSWORD, null)

/** A second administrator, signed in with 2FA, whose last password/code is 10 minutes old (beyond the 5-minute re-auth window, within the 15-minute idle limit). */
async function staleAdminScreen(): Promise<Screen> {
  await addUser(env, 'boss@example.com', 'admin')
  const screen = env.screen()
  await screen.ok('login', { email: 'boss@example.com', password: PASSWORD })
  await enroll(env, screen)
  env.clock.advance(10 * 60_000)
  // Sanity: this screen really is outside the re-auth window.
  expect((await screen.fail('revokeEnforcement')).code).toBe('REAUTH_REQUIRED')
  return screen
}

async function expectOverdue(): Promise<void> {
  expect((await env.screen().ok('login', { email: MARIA, password: PASSWORD })).step).toBe('enrollment-required')
  expect((await radius()).kind).toBe('reject')
}

async function expectGraceAgain(): Promise<void> {
  const step = await env.screen().ok('login', { email: MARIA, password: PASSWORD })
  expect(step.step).toBe('signed-in')
  expect((await radius()).kind).toBe('accept')
}

describe('an overdue user given a new grace period without a recent re-authentication', () => {
  it('per-user: "Enforce 2FA activation" with 365 grace days on a user overdue under the policy', async () => {
    const id = await addUser(env, MARIA)
    await env.cli('enforceForAllUsers', {})
    await expectOverdue()
    const screen = await staleAdminScreen()
    // Exempting her would need a re-authentication ...
    expect((await screen.fail('setEnforcement', { userId: id, enforcement: 'exempt' })).code).toBe('REAUTH_REQUIRED')
    // ... so does a year of grace (it is the same, for a year).
    const result = await screen.call('setEnforceTwoFactorActivation', { userId: id, enforce: true, graceDays: 365 })
    if (result.ok) {
      expect(result.value.deadline).toBe(env.clock.now() + 365 * DAY_MS)
      await expectGraceAgain()
    }
    expect(result.ok ? 'ok' : result.error.code).toBe('REAUTH_REQUIRED')
  })

  it('per-user: setEnforcement enforced with grace days moves an overdue individual deadline a year out', async () => {
    const id = await addUser(env, MARIA)
    await env.cli('setEnforcement', { userId: id, enforcement: 'enforced' })
    await expectOverdue()
    const screen = await staleAdminScreen()
    const result = await screen.call('setEnforcement', { userId: id, enforcement: 'enforced', graceDays: 365 })
    if (result.ok) await expectGraceAgain()
    expect(result.ok ? 'ok' : result.error.code).toBe('REAUTH_REQUIRED')
  })

  it('group: adding an overdue user to an enforced group with a later deadline keeps the policy deadline (the earliest applies)', async () => {
    await addUser(env, MARIA)
    // Roll-out in stages: Sales gets 30 days, then everybody is enforced at once.
    const sales = await env.cli('createGroup', { name: 'Sales' })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 30 })
    await env.cli('enforceForAllUsers', {})
    await expectOverdue()
    const screen = await staleAdminScreen()
    // It gives her no time, so it needs no re-authentication, and says nothing changed for her.
    const result = await screen.ok('addGroupMembers', { groupId: sales.id, emails: [MARIA] })
    expect(result.effect).toMatchObject({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    await expectOverdue()
  })

  it('group: enforcing a group with a grace period never takes members who are overdue under the policy out of "overdue"', async () => {
    await addUser(env, MARIA)
    const sales = await env.cli('createGroup', { name: 'Sales' })
    await env.cli('addGroupMembers', { groupId: sales.id, emails: [MARIA] })
    await env.cli('enforceForAllUsers', {})
    await expectOverdue()
    const before = (await env.cli('getSecurityOverview')).distribution.overdue
    const preview = await env.cli('previewEnforcement', { target: { kind: 'group', groupId: sales.id }, graceDays: 30 })
    expect(preview).toMatchObject({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })
    await env.cli('enforceGroup', { groupId: sales.id, graceDays: 30 })
    expect((await env.cli('getSecurityOverview')).distribution.overdue).toBe(before)
    await expectOverdue()
  })
})
