// The end-to-end journeys of the screens issue, in headless Chromium against
// the real browser preview on a fresh database per test.
import { describe, expect, it } from 'vitest'
import { totpCode } from './support/totp'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

function parseRgb(color: string): [number, number, number] {
  const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map(Number)
  return [r, g, b]
}

let world: World
worldForEachTest((started) => (world = started))

describe('2FA Admin in the browser', () => {
  it('first run: the admin creates an account, must activate 2FA (QR decoded from the image), saves recovery codes and reaches Account > Users', async () => {
    const admin = await world.person()
    await admin.setUpFirstAdmin(ADMIN.name, ADMIN.email, ADMIN.password)
    // Enforced like any administrator: no way past this screen without activating.
    await admin.heading('Activate 2FA').waitFor()
    expect(await admin.page.getByRole('navigation').count()).toBe(0)
    const { recoveryCodes } = await admin.activateTwoFactor()
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/)
    await admin.heading('Users').waitFor()
    await admin.expectShield(ADMIN.email, '2FA active')
    const status = JSON.parse(world.preview.cli(['status', '--json']).stdout) as Record<string, unknown>
    expect(status).toMatchObject({ total: 1, active: 1 })
  })

  it('Enforce 2FA for all users: green message, the button reads Revoke enforcement, shields turn orange; a user is made to activate and turns green', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    await admin.expectShield(MARIA.email, '2FA not active')

    await admin.goTo('Security')
    const confirmation = await admin.clickAndConfirm('Enforce 2FA for all users', 'Enforce 2FA')
    expect(confirmation).toMatch(/\b2 users\b/)
    await admin.successMessage().waitFor()
    // A green success message, as the help page says.
    const [red, green, blue] = parseRgb(await admin.successMessage().evaluate((el) => getComputedStyle(el).color))
    expect(green).toBeGreaterThan(red)
    expect(green).toBeGreaterThan(blue)
    await admin.page.getByRole('button', { name: 'Revoke enforcement', exact: true }).waitFor()

    await admin.goTo('Users')
    await admin.expectShield(MARIA.email, '2FA enforced, activation pending')
    await admin.expectShield(TOM.email, '2FA enforced, activation pending')

    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('Activate 2FA').waitFor()
    await maria.activateTwoFactor()
    await maria.heading('My account').waitFor()

    await admin.page.reload()
    await admin.expectShield(MARIA.email, '2FA active')
    await admin.expectShield(TOM.email, '2FA enforced, activation pending')
  })

  it('an enforced user cannot deactivate 2FA; after the admin unchecks Enforce 2FA activation and saves, they can', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    await admin.openUser(MARIA.name)
    expect(await admin.enforceCheckbox().isChecked()).toBe(false)
    await admin.enforceCheckbox().check()
    await admin.saveSecurity()
    await admin.successMessage().waitFor()

    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    const { secret } = await maria.activateTwoFactor()
    await maria.heading('My account').waitFor()
    const deactivate = maria.page.getByRole('button', { name: 'Deactivate 2FA' })
    expect(await deactivate.isDisabled()).toBe(true)
    await maria.page.getByText('Enforced individually: you cannot deactivate 2FA.').waitFor()

    await admin.goTo('Users')
    await admin.openUser(MARIA.name)
    expect(await admin.enforceCheckbox().isChecked()).toBe(true)
    await admin.enforceCheckbox().uncheck()
    await admin.saveSecurity()
    await admin.successMessage().waitFor()

    // Her session goes on; the page now reflects the admin's change.
    await maria.page.reload()
    await maria.heading('My account').waitFor()
    await maria.page.getByText('Enforced individually: you cannot deactivate 2FA.').waitFor({ state: 'detached' })
    expect(await deactivate.isDisabled()).toBe(false)
    await deactivate.click()
    const dialog = maria.page.getByRole('dialog')
    await dialog.getByLabel('Authentication code').fill(totpCode(secret, 1))
    await dialog.getByRole('button', { name: /Deactivate/ }).click()
    await maria.page.getByRole('button', { name: 'Activate 2FA' }).waitFor()
    const show = JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout) as { status: string }
    expect(show.status).toBe('inactive')
  })

  it('wrong codes lock the account after 10 tries; the admin sees it and unlocks', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    // Maria activates 2FA of her own accord, from My account.
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    const { secret } = await maria.activateTwoFactor()
    await maria.logOut()

    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('Two-factor authentication').waitFor()
    for (let attempt = 1; attempt <= 10; attempt++) {
      await maria.verify('000000')
      await maria.alert().filter({ hasText: attempt < 10 ? /not correct/ : /locked/ }).waitFor()
    }
    // Locked: even the right password and code are refused.
    await maria.page.reload()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.page.getByText(/locked/i).first().waitFor()

    await admin.page.reload()
    await admin.shield(MARIA.email).focus()
    await admin.page.getByRole('tooltip').filter({ hasText: /locked/i }).waitFor()
    await admin.openUser(MARIA.name)
    await admin.page.getByRole('button', { name: 'Unlock', exact: true }).click()
    await admin.successMessage().waitFor()

    await maria.logIn(MARIA.email, MARIA.password)
    await maria.verify(totpCode(secret, 1))
    await maria.heading('My account').waitFor()
  })

  it('lost phone: the admin resets 2FA, the shield turns orange and the user re-enrolls', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    await admin.openUser(MARIA.name)
    await admin.enforceCheckbox().check()
    await admin.saveSecurity()
    await admin.successMessage().waitFor()

    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.activateTwoFactor()
    await maria.logOut()

    await admin.goTo('Users')
    await admin.expectShield(MARIA.email, '2FA active')
    await admin.openUser(MARIA.name)
    const confirmation = await admin.clickAndConfirm('Reset 2FA', 'Reset')
    expect(confirmation).toMatch(/phone/i)
    await admin.goTo('Users')
    await admin.expectShield(MARIA.email, '2FA enforced, activation pending')

    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('Activate 2FA').waitFor()
    await maria.activateTwoFactor()
    await admin.page.reload()
    await admin.expectShield(MARIA.email, '2FA active')
  })

  it('a non-admin sees no Account pages, and an admin call through window.api is refused', async () => {
    await firstRunAdmin(world, [MARIA])
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('My account').waitFor()
    expect(await maria.nav('Users').count()).toBe(0)
    expect(await maria.nav('Security').count()).toBe(0)
    expect(await maria.nav('Audit log').count()).toBe(0)
    expect(await maria.page.getByText('Account', { exact: true }).count()).toBe(0)

    const results = await maria.page.evaluate(async () => {
      const api = (window as unknown as { api: Record<string, (input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>> }).api
      return Promise.all([api.listUsers!({}), api.enforceForAllUsers!({}), api.resetTwoFactor!({ userId: 1 })])
    })
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const status = JSON.parse(world.preview.cli(['status', '--json']).stdout) as { enforcedForAll: boolean; active: number }
    expect(status).toMatchObject({ enforcedForAll: false, active: 1 })
  })

  it('an idle session ends after 15 minutes and returns to Log in', async () => {
    await firstRunAdmin(world, [MARIA])
    const maria = await world.person()
    await maria.page.clock.install()
    await maria.page.reload()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('My account').waitFor()
    await maria.page.clock.fastForward('15:01')
    await maria.page.getByRole('button', { name: 'Log in', exact: true }).waitFor()
    await maria.page.getByText(/15 minutes/).waitFor()
  })
})
