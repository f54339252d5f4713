// Issue 12, parts 3 and 4, in headless Chromium against the real preview: a
// temporary access pass after a lost phone, and an enrollment at the admin's desk.
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'
import { totpCode } from './support/totp'

let world: World
worldForEachTest((started) => (world = started))

type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>>

/** The Security section of the open user's details. */
const security = (person: AppPage) => person.page.getByRole('region', { name: 'Security' })

/** Issues a pass from User details and returns it, read off the dialog that shows it once. */
async function issuePass(admin: AppPage, options: { validity?: string; singleUse?: boolean } = {}): Promise<string> {
  await security(admin).getByRole('button', { name: 'Issue temporary access pass', exact: true }).click()
  const dialog = admin.page.getByRole('dialog', { name: /^Issue a temporary access pass for / })
  await dialog.waitFor()
  if (options.validity) await dialog.getByLabel('Valid for').selectOption({ label: options.validity })
  if (options.singleUse === false) await dialog.getByLabel(/^Single use/).uncheck()
  await dialog.getByRole('button', { name: 'Issue pass', exact: true }).click()
  const shown = admin.page.getByRole('dialog', { name: /^Temporary access pass for / })
  await shown.waitFor()
  const pass = (await shown.getByLabel('Temporary access pass').innerText()).trim()
  expect(pass).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
  await shown.getByRole('button', { name: 'Done', exact: true }).click()
  await shown.waitFor({ state: 'hidden' })
  return pass
}

describe('issue 12 in the browser', () => {
  it('a temporary pass after a lost phone: reset, a pass typed where the password goes, a new authenticator, signed in', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    // Maria has 2FA on her old phone.
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await maria.activateTwoFactor()
    await maria.logOut()

    // She lost it: the admin resets her 2FA and issues a pass.
    await admin.goTo('Users')
    await admin.openUser(MARIA.name)
    await admin.clickAndConfirm('Reset 2FA', 'Reset')
    await admin.successMessage().waitFor()
    const pass = await issuePass(admin)
    await security(admin).getByText(/^Active until .* · single use · issued by ada@example.com$/).waitFor()
    // Shown once: nowhere on the page any more.
    expect(await admin.page.content()).not.toContain(pass)

    // The pass goes in the Password field of the same Log in form.
    await maria.logIn(MARIA.email, pass)
    await maria.heading('Finish setting up your account').waitFor()
    // The pass's session does nothing else, whatever the page asks.
    const refused = await maria.page.evaluate(async () => {
      const api = (window as unknown as { api: Api }).api
      return Promise.all([api.getMyAccount!({}), api.listUsers!({}), api.changePassword!({ currentPassword: 'x', newPassword: 'a very long new password 42' })])
    })
    for (const result of refused) expect(result).toMatchObject({ ok: false, error: { code: 'ENROLLMENT_REQUIRED' } })
    const { secret } = await maria.activateTwoFactor()
    await maria.heading('My account').waitFor()
    const shown = JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout) as { status: string }
    expect(shown.status).toBe('active')

    // Single use: the pass signs in no more; her password and the new authenticator do.
    await maria.logOut()
    await maria.logIn(MARIA.email, pass)
    await maria.alert().filter({ hasText: /not correct/ }).waitFor()
    await maria.page.reload()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.verify(totpCode(secret, 1))
    await maria.heading('My account').waitFor()

    // The admin's open User details follow the change: the pass is gone (activating 2FA ended it).
    await security(admin).getByText(/^None\./).waitFor()
  })

  it('enroll in person: the admin’s session is locked, the user proves who they are and enrolls, and only the admin’s password gives the screen back', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    await admin.openUser(MARIA.name)
    await security(admin).getByRole('button', { name: 'Enroll in person', exact: true }).click()
    await admin.heading('Enroll in person').waitFor()
    // The shell is gone, and the app refuses this window every admin call (the core, not the screen).
    await expect.poll(() => admin.page.getByRole('navigation').count(), { timeout: 5_000 }).toBe(0)
    const locked = await admin.page.evaluate(async () => {
      const api = (window as unknown as { api: Api }).api
      return Promise.all([api.listUsers!({}), api.getUser!({ userId: 2 }), api.startEnrollment!({}), api.resetTwoFactor!({ userId: 2 })])
    })
    for (const result of locked) expect(result).toMatchObject({ ok: false, error: { code: 'HANDOVER_IN_PROGRESS' } })

    await admin.page.getByLabel('Your password or temporary access pass').fill('not her password')
    await admin.page.getByRole('button', { name: 'Continue', exact: true }).click()
    await admin.alert().filter({ hasText: /not correct/ }).waitFor()
    await admin.page.getByLabel('Your password or temporary access pass').fill(MARIA.password)
    await admin.page.getByRole('button', { name: 'Continue', exact: true }).click()
    // The same QR code, code and recovery codes as any enrollment (QR read from the screenshot).
    const { secret } = await admin.activateTwoFactor()

    // Hand back: Maria's password does not unlock it; the admin's does.
    const unlock = admin.page.getByRole('form', { name: 'Unlock' })
    await unlock.waitFor()
    await unlock.getByLabel('Administrator password').fill(MARIA.password)
    await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
    await admin.alert().filter({ hasText: /not the password of ada@example.com/ }).waitFor()
    await unlock.getByLabel('Administrator password').fill(ADMIN.password)
    await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
    await admin.heading('Security').waitFor()
    await admin.heading(MARIA.name).waitFor()
    await security(admin).getByText('2FA active').first().waitFor()

    // The authenticator set up at the desk is Maria's own.
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.verify(totpCode(secret, 1))
    await maria.heading('My account').waitFor()
    const audit = JSON.parse(world.preview.cli(['audit', '--json']).stdout) as { action: string }[]
    expect(audit.map((entry) => entry.action).filter((action) => action.startsWith('enrollment.'))).toEqual(['enrollment.in-person-ended', 'enrollment.in-person-identified', 'enrollment.in-person-started'])
  })

  it('enroll in person, cancelled: the QR code is discarded and the admin unlocks with a code', async () => {
    const { admin, secret } = await firstRunAdmin(world, [MARIA])
    await admin.openUser(MARIA.name)
    await security(admin).getByRole('button', { name: 'Enroll in person', exact: true }).click()
    await admin.page.getByLabel('Your password or temporary access pass').fill(MARIA.password)
    await admin.page.getByRole('button', { name: 'Continue', exact: true }).click()
    await admin.page.getByAltText('QR code for your authenticator app').waitFor()
    await admin.page.getByRole('button', { name: 'Cancel and hand back', exact: true }).click()
    const unlock = admin.page.getByRole('form', { name: 'Unlock' })
    await unlock.getByRole('button', { name: 'Use an authentication code instead' }).click()
    await unlock.getByLabel('Authentication code').fill(totpCode(secret, 1))
    await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
    await admin.heading('Security').waitFor()
    const shown = JSON.parse(world.preview.cli(['user', 'show', MARIA.email, '--json']).stdout) as { status: string }
    expect(shown.status).toBe('inactive')
  })
})
