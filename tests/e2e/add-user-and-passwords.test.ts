// Add user with "Enforce 2FA activation" and a generated initial password, and
// an administrator's new (generated) password for a user, in headless Chromium
// against the real browser preview: the checkbox checked by default while the
// policy is off and explained while it is on, the password shown once with
// Copy, never in the audit log or the preview's output, the user's first login
// going to the activation, and "Confirm it's you" before a new password (the
// preview runs with a 2 s re-authentication window).
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'
import { expectNoViolations } from './support/axe'

const WINDOW_MS = 2_000
const LENA = { name: 'Lena Berg', email: 'lena@example.com' }

let world: World
worldForEachTest((started) => (world = started), { env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(WINDOW_MS) } })

function auditJson(): string {
  const result = world.preview.cli(['audit', '--json'])
  if (result.code !== 0) throw new Error(`audit failed: ${result.stderr}`)
  return result.stdout
}

describe('Add user', () => {
  it('"Enforce 2FA activation" is checked by default, a generated password is shown once with Copy, and the user must activate 2FA at the first login', async () => {
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.preview.origin })

    await page.getByRole('button', { name: 'Add user', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Add user' })
    const enforce = dialog.getByLabel('Enforce 2FA activation')
    expect(await enforce.isChecked()).toBe(true)
    expect(await enforce.isDisabled()).toBe(false)
    await dialog.getByText('When checked, the user has to activate 2FA at their first login').waitFor()
    await dialog.getByLabel('Name', { exact: true }).fill(LENA.name)
    await dialog.getByLabel('Email', { exact: true }).fill(LENA.email)
    await dialog.getByLabel('Generate a strong password').check()
    expect(await dialog.getByLabel('Initial password').count()).toBe(0)
    await dialog.getByRole('button', { name: 'Create user', exact: true }).click()

    const shown = page.getByRole('dialog', { name: 'User added' })
    await shown.waitFor()
    const password = (await shown.getByLabel('Generated password').innerText()).trim()
    expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/)
    await shown.getByText('Shown only once.').waitFor()
    await expectNoViolations(page, 'the generated password shown once')
    await shown.getByRole('button', { name: 'Copy', exact: true }).click()
    await shown.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password)
    await shown.getByRole('button', { name: 'Done', exact: true }).click()
    await shown.waitFor({ state: 'hidden' })
    await admin.expectShield(LENA.email, '2FA enforced, activation pending')
    // Gone for good: nowhere on the page any more, in no audit entry, in nothing the preview printed.
    expect(await page.content()).not.toContain(password)
    const audit = auditJson()
    expect(audit).toContain('"passwordGenerated":true')
    expect(audit).toContain('enforcement.user-changed')
    expect(audit).not.toContain(password)
    expect(world.preview.output()).not.toContain(password)
    const shownByCli = JSON.parse(world.preview.cli(['user', 'show', LENA.email, '--json']).stdout) as Record<string, unknown>
    expect(shownByCli).toMatchObject({ enforcement: 'enforced', status: 'pending', hasPassword: true })

    // Lena's first login with it: 2FA activation first.
    const lena = await world.person()
    await lena.logIn(LENA.email, password)
    await lena.heading('Activate 2FA').waitFor()
    await lena.page.getByText('2FA is enforced for your account.').first().waitFor()
  })

  it('while "Enforce 2FA for all users" is on, and for an administrator, the checkbox explains that 2FA is enforced anyway', async () => {
    const { admin } = await firstRunAdmin(world)
    expect(world.preview.cli(['enforce-all']).code).toBe(0)
    const page = admin.page
    await page.getByRole('button', { name: 'Add user', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Add user' })
    const enforce = dialog.getByLabel('Enforce 2FA activation')
    await dialog.getByText('2FA is enforced for all users (Account > Security), so this user has to activate it too.').waitFor()
    expect(await enforce.isChecked()).toBe(true)
    expect(await enforce.isDisabled()).toBe(true)
    expect(await enforce.getAttribute('aria-describedby')).toBe(await dialog.getByText('2FA is enforced for all users').getAttribute('id'))
    await dialog.getByLabel('Role').selectOption({ label: 'Administrator' })
    await dialog.getByText('Administrators always have 2FA enforced.').waitFor()

    // A typed password that is too weak: the error under its field, nothing created.
    await dialog.getByLabel('Role').selectOption({ label: 'User' })
    await dialog.getByLabel('Name', { exact: true }).fill(LENA.name)
    await dialog.getByLabel('Email', { exact: true }).fill(LENA.email)
    const field = dialog.getByLabel('Initial password')
    await field.fill('password1234')
    await dialog.getByRole('button', { name: 'Create user', exact: true }).click()
    await dialog.getByRole('alert').filter({ hasText: /too easy to guess/ }).waitFor()
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(world.preview.cli(['user', 'show', LENA.email]).code).not.toBe(0)

    // The policy enforces: the user follows it, with no enforcement of their own.
    await field.fill('lena chooses a long password 7')
    await dialog.getByRole('button', { name: 'Create user', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await page.getByRole('dialog', { name: 'User added' }).count()).toBe(0)
    expect(JSON.parse(world.preview.cli(['user', 'show', LENA.email, '--json']).stdout)).toMatchObject({ enforcement: 'inherit', enforcementSource: 'policy', status: 'pending' })
  })
})

describe('a new password for a user', () => {
  it('needs "Confirm it\'s you", is generated and shown once, and signs the user out everywhere', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.heading('My account').waitFor()

    const page = admin.page
    await admin.openUser(MARIA.name)
    await page.waitForTimeout(WINDOW_MS + 500)
    await page.getByRole('button', { name: 'Change password', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: `Change the password of ${MARIA.name}` })
    await dialog.getByLabel('Generate a strong password').check()
    await dialog.getByRole('button', { name: 'Change password', exact: true }).click()
    await admin.confirmItsYou({ password: ADMIN.password })
    const shown = page.getByRole('dialog', { name: 'New password' })
    await shown.waitFor()
    const password = (await shown.getByLabel('Generated password').innerText()).trim()
    expect(password).toHaveLength(23)
    await shown.getByRole('button', { name: 'Done', exact: true }).click()
    await shown.waitFor({ state: 'hidden' })
    await admin.successMessage().filter({ hasText: `The password of ${MARIA.name} was replaced by a generated one.` }).waitFor()

    const audit = auditJson()
    expect(audit).toContain('"generated":true')
    expect(audit).toContain('session.reauthenticated')
    expect(audit).not.toContain(password)
    expect(world.preview.output()).not.toContain(password)

    // Maria's session ended (her screen, which follows changes, goes to Log in); the old password no longer works, the new one does.
    await maria.page.getByRole('button', { name: 'Log in', exact: true }).waitFor()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.alert().filter({ hasText: 'The email or password is not correct.' }).waitFor()
    await maria.logIn(MARIA.email, password)
    await maria.heading('My account').waitFor()
  })
})
