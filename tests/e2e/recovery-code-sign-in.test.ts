// After a sign-in with a recovery code, in headless Chromium against the real
// browser preview: the notice says how many codes are left, "Generate new
// recovery codes" opens the regeneration in My account (a current code, ten
// new codes), Dismiss hides it, and with the last code used the wording is
// stronger. The administrator sees the count on the user's details.
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'
import { nextTimeStep, totpCode } from './support/totp'
import { expectNoViolations } from './support/axe'

let world: World
worldForEachTest((started) => (world = started))

/** Maria signs in and activates 2FA from My account; then she signs out. */
async function mariaWithTwoFactor(): Promise<{ maria: AppPage; secret: string; recoveryCodes: string[] }> {
  const maria = await world.person()
  await maria.logIn(MARIA.email, MARIA.password)
  await maria.heading('My account').waitFor()
  await maria.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
  const { secret, recoveryCodes } = await maria.activateTwoFactor()
  await maria.heading('My account').waitFor()
  await maria.logOut()
  return { maria, secret, recoveryCodes }
}

const notice = (person: AppPage) => person.page.locator('.recovery-code-notice')

describe('a sign-in with a recovery code', () => {
  it('says how many codes are left and offers new ones; the regeneration replaces them', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    const { maria, secret, recoveryCodes } = await mariaWithTwoFactor()

    await maria.logIn(MARIA.email, MARIA.password)
    await maria.verifyRecoveryCode(recoveryCodes[0] ?? '')
    await notice(maria).getByText('You signed in with a recovery code. 9 recovery codes left.').waitFor()
    await expectNoViolations(maria.page, 'the notice after a sign-in with a recovery code')
    await maria.heading('My account').waitFor()

    // The administrator sees the same count on her details.
    await admin.page.reload()
    await admin.openUser(MARIA.name)
    await admin.page.getByText(/Recovery codes left/).first().waitFor()
    expect(JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout)).toMatchObject({ recoveryCodesRemaining: 9 })

    // "Generate new recovery codes": the notice goes, My account asks for a current code.
    await notice(maria).getByRole('button', { name: 'Generate new recovery codes', exact: true }).click()
    await notice(maria).waitFor({ state: 'detached' })
    const prompt = maria.page.getByRole('dialog', { name: 'Regenerate recovery codes?' })
    await prompt.waitFor()
    // Activation used this 30-second step's code: the next step's code is within the window and newer.
    await prompt.getByLabel('Authentication code').fill(totpCode(secret, 1))
    await prompt.getByRole('button', { name: 'Regenerate', exact: true }).click()
    const list = maria.page.getByRole('list', { name: 'Recovery codes' })
    await list.waitFor()
    const fresh = (await list.getByRole('listitem').allInnerTexts()).map((code) => code.trim())
    expect(fresh).toHaveLength(10)
    expect(fresh).not.toContain(recoveryCodes[1])
    await maria.page.getByLabel('I have saved my recovery codes').check()
    await maria.page.getByRole('button', { name: 'Continue', exact: true }).click()
    await maria.page.getByText('10 of 10 left.').waitFor()
    expect(JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout)).toMatchObject({ recoveryCodesRemaining: 10 })

    // An old code no longer works; a new one does, and the count starts again from 10.
    await maria.logOut()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.verifyRecoveryCode(recoveryCodes[1] ?? '')
    await maria.alert().filter({ hasText: 'That recovery code is not valid or was already used.' }).waitFor()
    await maria.page.getByLabel('Recovery code').fill(fresh[0] ?? '')
    await maria.page.getByRole('button', { name: 'Verify', exact: true }).click()
    await notice(maria).getByText('You signed in with a recovery code. 9 recovery codes left.').waitFor()

    // Dismiss: gone, and a sign-in with the authenticator shows none.
    await notice(maria).getByRole('button', { name: 'Dismiss', exact: true }).click()
    await notice(maria).waitFor({ state: 'detached' })
    await maria.logOut()
    await maria.logIn(MARIA.email, MARIA.password)
    // The regeneration used the next step's code: once that step has begun, the one after it is newer.
    await nextTimeStep()
    await maria.verify(totpCode(secret, 1))
    await maria.heading('My account').waitFor()
    expect(await notice(maria).count()).toBe(0)
  })

  it('with the last code used, the wording is stronger', async () => {
    await firstRunAdmin(world, [MARIA])
    const { maria, recoveryCodes } = await mariaWithTwoFactor()
    // Nine earlier sign-ins with a recovery code, from another browser through the page's own API.
    const other = await world.person()
    type Call = (input: unknown) => Promise<{ ok: true; value: { recoveryCodesLeft?: number } } | { ok: false; error: { message: string } }>
    await other.page.waitForFunction(() => (window as unknown as { api?: unknown }).api !== undefined)
    for (const code of recoveryCodes.slice(0, 9)) {
      const left = await other.page.evaluate(
        async ([email, password, recovery]) => {
          const api = (window as unknown as { api: Record<'login' | 'verifyRecoveryCode' | 'logout', Call> }).api
          await api.login({ email, password })
          const step = await api.verifyRecoveryCode({ code: recovery })
          await api.logout({})
          return step.ok ? step.value.recoveryCodesLeft : step.error.message
        },
        [MARIA.email, MARIA.password, code] as const
      )
      expect(typeof left).toBe('number')
    }
    expect(JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout)).toMatchObject({ recoveryCodesRemaining: 1 })

    await maria.logIn(MARIA.email, MARIA.password)
    await maria.verifyRecoveryCode(recoveryCodes[9] ?? '')
    const strong = notice(maria)
    await strong.getByText('You signed in with your last recovery code. No recovery codes left: generate new ones now, or you cannot sign in if you lose your authenticator app.').waitFor()
    expect(await strong.getAttribute('role')).toBe('alert')
    await strong.getByRole('button', { name: 'Generate new recovery codes', exact: true }).waitFor()
  })
})
