// Defect 7 of the walk (issue 13, section 4): every field error is tied to its
// field, on every form. For each kind of form, in headless Chromium against the
// real preview: a bad input is refused, the error stands beside the field (the
// field is aria-invalid and aria-describedby names the error's text) and the
// focus moves to the first invalid field; nothing changes.
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

/** The field is marked invalid, describes itself with `message` (beside it, not under the form), and has the focus. */
async function expectFieldError(scope: Page | Locator, field: Locator, message: string): Promise<void> {
  const error = scope.getByRole('alert').filter({ hasText: message })
  await error.waitFor()
  expect(await field.getAttribute('aria-invalid')).toBe('true')
  const errorId = await error.getAttribute('id')
  expect(errorId).toBeTruthy()
  expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId)
  expect(await field.evaluate((element) => element === document.activeElement)).toBe(true)
  // Beside its field: in the same .field block.
  expect(await field.evaluate((element, id) => element.closest('.field')?.querySelector(`[id="${id}"]`) !== null, errorId)).toBe(true)
}

async function signedInAdmin(): Promise<AppPage> {
  const { admin } = await firstRunAdmin(world, [MARIA])
  return admin
}

describe('field errors beside their fields (item 7)', () => {
  it('the setup form: an email the app refuses is shown at the Email field; then a mismatch at Confirm password', async () => {
    const admin = await world.person()
    const page = admin.page
    await page.getByLabel('Name', { exact: true }).fill(ADMIN.name)
    await page.getByLabel('Email', { exact: true }).fill('ada@localhost')
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
    await page.getByLabel('Confirm password').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await expectFieldError(page, page.getByLabel('Email', { exact: true }), 'Enter an email address like name@example.com.')
    // Not also at the bottom of the form.
    expect(await page.getByRole('alert').count()).toBe(1)

    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email)
    await page.getByLabel('Confirm password').fill('something else entirely')
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await expectFieldError(page, page.getByLabel('Confirm password'), 'The two passwords do not match.')
    // Nothing was created.
    expect(JSON.parse(world.preview.cli(['user', 'list', '--json']).stdout)).toEqual([])
  })

  it('the login form: a missing password is shown at the Password field; a wrong password stays under the form', async () => {
    await firstRunAdmin(world)
    const person = await world.person()
    const page = person.page
    await person.logIn(ADMIN.email, '')
    await expectFieldError(page, page.getByLabel('Password', { exact: true }), 'Enter your password.')
    await person.logIn(ADMIN.email, 'a wrong password!!')
    await page.getByRole('alert').filter({ hasText: 'The email or password is not correct.' }).waitFor()
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBeNull()
  })

  it('Add user: an email already taken is shown at the Email field', async () => {
    const admin = await signedInAdmin()
    const page = admin.page
    await page.getByRole('button', { name: 'Add user' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add user' })
    await dialog.getByLabel('Name', { exact: true }).fill('Maria Again')
    await dialog.getByLabel('Email', { exact: true }).fill(MARIA.email)
    await dialog.getByLabel('Initial password').fill('another good password 7')
    await dialog.getByRole('button', { name: 'Create user' }).click()
    await expectFieldError(dialog, dialog.getByLabel('Email', { exact: true }), `A user with the email ${MARIA.email} already exists.`)
  })

  it('User profile: an empty name is shown at the Name field', async () => {
    const admin = await signedInAdmin()
    await admin.openUser(MARIA.name)
    const profile = admin.page.getByRole('form', { name: 'Profile' })
    await profile.getByLabel('Name', { exact: true }).fill('   ')
    await profile.getByRole('button', { name: 'Save profile' }).click()
    await expectFieldError(profile, profile.getByLabel('Name', { exact: true }), 'Enter a name.')
    expect(JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout).name).toBe(MARIA.name)
  })

  it('Set password (User details): a weak password is shown at the New password field', async () => {
    const admin = await signedInAdmin()
    await admin.openUser(MARIA.name)
    await admin.page.getByRole('button', { name: 'Change password' }).click()
    const dialog = admin.page.getByRole('dialog')
    await dialog.getByLabel('New password').fill('short')
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await expectFieldError(dialog, dialog.getByLabel('New password'), 'at least 12 characters')
  })

  it('Change password (My account): a wrong current password is shown at Current password; a mismatch at the confirmation', async () => {
    const admin = await signedInAdmin()
    await admin.goTo('My account')
    const form = admin.page.getByRole('form', { name: 'Change password' })
    await form.getByLabel('Current password').fill('not my password at all')
    await form.getByLabel('New password', { exact: true }).fill('a brand new password 9')
    await form.getByLabel('Confirm new password').fill('a brand new password 9')
    await form.getByRole('button', { name: 'Change password' }).click()
    await expectFieldError(form, form.getByLabel('Current password'), 'The current password is not correct.')
    await form.getByLabel('Current password').fill(ADMIN.password)
    await form.getByLabel('Confirm new password').fill('a different password 9')
    await form.getByRole('button', { name: 'Change password' }).click()
    await expectFieldError(form, form.getByLabel('Confirm new password'), 'The two passwords do not match.')
  })

  it('Add RADIUS client: a name the app refuses is shown at the Name field', async () => {
    const admin = await signedInAdmin()
    const added = world.preview.cli(['radius', 'client', 'add', '--name', 'vpn', '--address', '192.0.2.10', '--secret-stdin'], 'a shared secret of some length 42')
    expect(added.code).toBe(0)
    await admin.goTo('RADIUS clients')
    await admin.page.getByRole('button', { name: 'Add client' }).first().click()
    const dialog = admin.page.getByRole('dialog', { name: 'Add RADIUS client' })
    await dialog.getByLabel('Name', { exact: true }).fill('vpn')
    await dialog.getByLabel('Address or CIDR block').fill('192.0.2.11')
    await dialog.getByRole('button', { name: 'Add client' }).click()
    const field = dialog.getByLabel('Name', { exact: true })
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
    const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
    const errorText = await dialog.locator(`[id="${describedBy.split(' ')[0]}"]`).innerText()
    expect(errorText.length).toBeGreaterThan(0)
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true)
  })
})
