// Issue 12, grace period end to end: the admin enforces 2FA for all users with
// 7 days to activate (the confirmation counts exactly who will have to), Maria
// logs in with her password alone and is reminded with the days left, chooses
// Later and uses the app; at the next login she chooses "Activate 2FA now" and
// activates. Tom's deadline is then moved to now from the CLI (every user it
// covers, at once): his next login must activate first.
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

describe('a grace period to activate 2FA', () => {
  it('enforced with 7 days: users log in with a reminder, choose Later or Activate 2FA now; after the deadline they must activate', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    await admin.goTo('Security')
    await admin.page.getByRole('button', { name: 'Enforce 2FA for all users', exact: true }).click()
    const dialog = admin.page.getByRole('dialog', { name: 'Enforce 2FA for all users?' })
    // Without a grace period both are overdue at once; with 7 days, none is.
    await dialog.getByText('2 users will have to activate 2FA; 2 users are overdue immediately.').waitFor()
    await dialog.getByLabel('Users have').fill('7')
    await dialog.getByText('2 users will have to activate 2FA; 0 users are overdue immediately.').waitFor()
    await dialog.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await admin.successMessage().filter({ hasText: 'Users without 2FA have 7 days to activate it.' }).waitFor()
    await admin.page.getByText(/Users without 2FA can still log in until/).waitFor()

    // The shield stays orange; its tooltip gives the date.
    await admin.goTo('Users')
    await admin.expectShield(MARIA.email, '2FA enforced, activation pending')
    await admin.shield(MARIA.email).focus()
    await admin.page.getByRole('tooltip').filter({ hasText: /Activation due by/ }).waitFor()

    // Maria: reminded, chooses Later, and is in the app.
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.page.getByText('7 days left to activate 2FA', { exact: false }).waitFor()
    await maria.page.getByRole('button', { name: 'Later', exact: true }).click()
    await maria.heading('My account').waitFor()
    await maria.logOut()

    // Next login: reminded again ("Later" is not remembered), and this time activates.
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.page.getByRole('button', { name: 'Activate 2FA now', exact: true }).click()
    await maria.activateTwoFactor()
    await maria.heading('My account').waitFor()
    await admin.page.reload()
    await admin.expectShield(MARIA.email, '2FA active')

    // The deadline moves to now for everyone the policy covers: Tom must activate at his next login.
    const moved = world.preview.cli(['enforce-all', '--grace-days', '0'])
    expect(moved.code, moved.stderr).toBe(0)
    const tom = await world.person()
    await tom.logIn(TOM.email, TOM.password)
    await tom.heading('Activate 2FA').waitFor()
    await tom.page.getByAltText('QR code for your authenticator app').waitFor()
    expect(await tom.page.getByRole('button', { name: 'Later', exact: true }).count()).toBe(0)
    const status = JSON.parse(world.preview.cli(['status', '--json']).stdout) as Record<string, unknown>
    expect(status).toMatchObject({ pending: 1, overdue: 1 })
  })
})
