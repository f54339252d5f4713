// Accessibility (issue 13): axe-core's WCAG 2.2 A/AA rules find nothing on
// the screens before the app: the first run, Activate 2FA with its QR code, the
// recovery codes shown once, Log in and its errors, the second step, a locked
// account, a user's My account and its dialogs, the grace reminder, enforced
// activation, the setup after a temporary access pass, and Log in after an
// idle session ended.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { httpPath } from '../../src/shared/transport'
import type { AppPage } from './pages/app-page'
import { expectNoViolations, expectReadableWhenDisabled } from './support/axe'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

const check = (person: AppPage, where: string) => expectNoViolations(person.page, where)

/** Activate 2FA as shown (the QR code, then a wrong code refused), and the recovery codes. */
async function checkActivation(person: AppPage, where: string): Promise<string> {
  await person.page.getByAltText('QR code for your authenticator app').waitFor({ state: 'visible' })
  await check(person, `${where}: the QR code`)
  await person.page.getByLabel('Authentication code').fill('000000')
  await person.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
  await person.alert().waitFor()
  await check(person, `${where}: a wrong code`)
  const { secret } = await person.activateTwoFactor(() => check(person, `${where}: the recovery codes, shown once`))
  return secret
}

describe('accessibility of the sign-in screens', () => {
  it('first run, Activate 2FA, recovery codes, Log in and its errors, the second step and a locked account', async () => {
    const admin = await world.person()
    await admin.page.getByLabel('Confirm password').waitFor()
    await check(admin, 'the first-run form')
    await admin.page.getByRole('button', { name: /create/i }).click()
    await check(admin, 'the first-run form, sent empty')
    await admin.setUpFirstAdmin(ADMIN.name, ADMIN.email, ADMIN.password)
    await admin.heading('Activate 2FA').waitFor()
    await checkActivation(admin, 'the first run')
    await admin.heading('Users').waitFor()

    await admin.logOut()
    await check(admin, 'Log in')
    await admin.logIn(ADMIN.email, 'not the password at all')
    await admin.alert().waitFor()
    await check(admin, 'Log in, a wrong password')

    await admin.page.reload()
    await admin.logIn(ADMIN.email, ADMIN.password)
    await admin.heading('Two-factor authentication').waitFor()
    await check(admin, 'the second step: authentication code')
    await admin.verify('000000')
    await admin.alert().filter({ hasText: /not correct/ }).waitFor()
    await check(admin, 'the second step: a wrong code')
    await admin.page.getByRole('button', { name: /recovery code instead/i }).click()
    await admin.page.getByLabel('Recovery code').waitFor()
    await check(admin, 'the second step: recovery code')
    // Wrong recovery codes until the account locks, each answered before the next.
    const locked = admin.alert().filter({ hasText: /locked/ })
    for (let attempt = 1; attempt <= 20 && !(await locked.isVisible()); attempt++) {
      await admin.page.getByLabel('Recovery code').fill('aaaaa-aaaaa')
      const answered = admin.page.waitForResponse((response) => new URL(response.url()).pathname === httpPath('verifyRecoveryCode'))
      await admin.page.getByRole('button', { name: 'Verify', exact: true }).click()
      await answered
    }
    await locked.waitFor()
    await check(admin, 'the second step: locked')
    // Even the right password and a code are refused while it is locked.
    await admin.page.getByRole('button', { name: 'Back to Log in', exact: true }).click()
    await admin.logIn(ADMIN.email, ADMIN.password)
    await admin.verify('000000')
    await locked.waitFor()
    await check(admin, 'Log in again: a locked account')
  })

  it("a user's My account and its dialogs, the grace reminder, enforced activation and the setup after a temporary access pass", async () => {
    await firstRunAdmin(world, [MARIA, TOM])
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('My account').waitFor()
    await check(maria, 'My account (a user, without 2FA)')
    await maria.page.getByRole('form', { name: 'Change password' }).getByRole('button').click()
    await check(maria, 'My account: Change password sent empty')
    await maria.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await checkActivation(maria, 'Activate 2FA from My account')
    await maria.heading('My account').waitFor()
    await maria.page.getByRole('button', { name: 'Deactivate 2FA' }).waitFor()
    await check(maria, 'My account (a user, with 2FA)')
    for (const opener of ['Regenerate recovery codes', 'Deactivate 2FA']) {
      await maria.page.getByRole('button', { name: opener, exact: true }).click()
      const dialog = maria.page.getByRole('dialog')
      await dialog.getByLabel('Authentication code').fill('000000')
      await dialog.getByRole('button', { name: /^(Regenerate|Deactivate)/ }).click()
      await dialog.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
      await check(maria, `My account: the ${opener} dialog, a wrong code`)
      await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
      await dialog.waitFor({ state: 'hidden' })
    }

    // Enforced for all with 7 days: Tom is reminded; with the deadline moved to now, he must activate.
    expect(world.preview.cli(['enforce-all', '--grace-days', '7']).code).toBe(0)
    const tom = await world.person()
    await tom.logIn(TOM.email, TOM.password)
    await tom.page.getByRole('button', { name: 'Later', exact: true }).waitFor()
    await check(tom, 'the reminder to activate 2FA before the deadline')
    expect(world.preview.cli(['enforce-all', '--grace-days', '0']).code).toBe(0)
    const late = await world.person()
    await late.logIn(TOM.email, TOM.password)
    await late.heading('Activate 2FA').waitFor()
    await checkActivation(late, 'enforced activation')
    await late.page.getByRole('button', { name: 'Deactivate 2FA', disabled: true }).waitFor()
    await expectReadableWhenDisabled(late.page.getByRole('button', { name: 'Deactivate 2FA' }), 'Deactivate 2FA')
    await check(late, 'My account (a user, 2FA enforced)')

    // An imported user with no password signs in with a temporary access pass.
    const csv = join(world.preview.dir, 'people.csv')
    writeFileSync(csv, 'email,name\nli.wei@example.com,Li Wei\n')
    expect(world.preview.cli(['import', 'users', csv]).code).toBe(0)
    const issued = world.preview.cli(['user', 'temporary-pass', 'li.wei@example.com', '--json'])
    const { pass } = JSON.parse(issued.stdout) as { pass: string }
    const li = await world.person()
    await li.logIn('li.wei@example.com', pass)
    await li.heading('Finish setting up your account').waitFor()
    await check(li, 'Finish setting up your account: Set a password')
    const form = li.page.getByRole('form', { name: 'Set a password' })
    await form.getByLabel('New password', { exact: true }).fill('short')
    await form.getByLabel('Confirm password').fill('shorter')
    await form.getByRole('button').click()
    await form.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
    await check(li, 'Finish setting up your account: a password refused')
    await form.getByLabel('New password', { exact: true }).fill('li wei first password 2026')
    await form.getByLabel('Confirm password').fill('li wei first password 2026')
    await form.getByRole('button').click()
    await checkActivation(li, 'Finish setting up your account')
    await li.heading('My account').waitFor()
  })

  it('Log in after an idle session ended', async () => {
    await firstRunAdmin(world, [MARIA])
    const maria = await world.person()
    await maria.page.clock.install()
    await maria.page.reload()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('My account').waitFor()
    await maria.page.clock.fastForward('15:01')
    await maria.page.getByText(/15 minutes/).waitFor()
    await check(maria, 'Log in, after the idle session ended')
  })
})
