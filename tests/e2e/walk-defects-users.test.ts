// Defects of the walk (issue 13, section 4) around users and accounts, in
// headless Chromium against the real preview: Save with nothing changed
// (item 1), an administrator demoting themselves (item 3), My account
// following an administrator's change (item 4), and one wording per fact of
// enforcement (item 10).
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'
import { totpCode } from './support/totp'
import { expectNoViolations } from './support/axe'

/** How soon a change made elsewhere must show (the screens ask every 1.5 s). */
const FOLLOW_MS = 3_000

let world: World
worldForEachTest((started) => (world = started))

function cli(args: string[]): string {
  const result = world.preview.cli(args)
  if (result.code !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout
}

/** Maria signs in, activates 2FA and lands on My account. */
async function mariaWithTwoFactor(): Promise<{ maria: AppPage; secret: string }> {
  const maria = await world.person()
  await maria.logIn(MARIA.email, MARIA.password)
  await maria.page.getByRole('button', { name: 'Activate 2FA' }).click()
  const { secret } = await maria.activateTwoFactor()
  await maria.heading('My account').waitFor()
  return { maria, secret }
}

describe('Save in User details > Security (item 1)', () => {
  it('is disabled while nothing changed, and a message belongs to the change it reports', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    await admin.openUser(MARIA.name)
    const security = admin.page.getByRole('region', { name: 'Security' })
    const save = security.getByRole('button', { name: 'Save', exact: true })
    expect(await save.isDisabled()).toBe(true)

    await admin.enforceCheckbox().check()
    expect(await save.isEnabled()).toBe(true)
    await admin.saveSecurity()
    await security.getByText(`2FA activation is enforced for ${MARIA.name}.`, { exact: false }).waitFor()
    // Saved: nothing left to save.
    expect(await save.isDisabled()).toBe(true)

    // Unticked again: the message was about the saved change, not this one; ticked back, there is nothing to save.
    await admin.enforceCheckbox().uncheck()
    expect(await admin.successMessage().count()).toBe(0)
    expect(await save.isEnabled()).toBe(true)
    await admin.enforceCheckbox().check()
    expect(await admin.successMessage().count()).toBe(0)
    expect(await save.isDisabled()).toBe(true)
    expect(await security.getByText('no longer enforced').count()).toBe(0)
  })
})

describe('an administrator who demotes themselves (item 3)', () => {
  it('is asked first; once confirmed, the sidebar says User at once and the session goes on with a user’s screens', async () => {
    const { admin } = await firstRunAdmin(world)
    world.addUser({ name: 'Bob Admin', email: 'bob@example.com', password: 'bob admin password 1' }, 'admin')
    await admin.page.reload()
    await admin.openUser(ADMIN.name)
    const profile = admin.page.getByRole('form', { name: 'Profile' })
    await profile.getByLabel('Role').selectOption({ label: 'User' })
    await profile.getByRole('button', { name: 'Save profile' }).click()
    const dialog = admin.page.getByRole('dialog', { name: 'Remove your own administrator rights?' })
    await dialog.waitFor()
    await expectNoViolations(admin.page, 'the confirmation before demoting yourself')
    expect(await dialog.innerText()).toContain('Only another administrator can make you an administrator again.')
    // Cancel is the first focus: nothing happens by pressing Enter.
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((element) => element === document.activeElement)).toBe(true)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(JSON.parse(cli(['user', 'show', ADMIN.email, '--json'])).role).toBe('admin')

    await profile.getByRole('button', { name: 'Save profile' }).click()
    await dialog.getByRole('button', { name: 'Remove my administrator rights' }).click()
    await admin.heading('My account').waitFor()
    await admin.page.locator('.whoami-role').filter({ hasText: 'User' }).waitFor()
    expect(await admin.nav('Users').count()).toBe(0)
    expect(JSON.parse(cli(['user', 'show', ADMIN.email, '--json'])).role).toBe('user')
    // The next click does not sign them out: the session goes on, as a user.
    await admin.page.reload()
    await admin.heading('My account').waitFor()
    expect(await admin.page.getByRole('button', { name: 'Log in', exact: true }).count()).toBe(0)
    expect(await admin.page.locator('.whoami-role').innerText()).toBe('User')
  })
})

describe('My account follows an administrator’s change (item 4)', () => {
  it('Deactivate turns disabled, with the reason, when an administrator enforces 2FA meanwhile, and a visit loads afresh', async () => {
    await firstRunAdmin(world, [MARIA])
    const { maria } = await mariaWithTwoFactor()
    const deactivate = maria.page.getByRole('button', { name: 'Deactivate 2FA' })
    expect(await deactivate.isEnabled()).toBe(true)

    cli(['user', 'enforce', MARIA.email])
    await maria.page.getByText('Enforced individually: you cannot deactivate 2FA.').waitFor({ timeout: FOLLOW_MS })
    expect(await deactivate.isDisabled()).toBe(true)
    expect(await maria.page.getByText('2FA active').first().isVisible()).toBe(true)

    // Given back elsewhere while she is on another screen: coming back to My account loads afresh.
    await maria.page.route('**/api/getChangeStamp', (route) => route.abort())
    cli(['user', 'inherit', MARIA.email])
    await maria.page.reload()
    await maria.heading('My account').waitFor()
    expect(await deactivate.isEnabled()).toBe(true)
    await maria.page.unroute('**/api/getChangeStamp')
  })

  it('a refused Deactivate (enforced after the screen last asked) shows the account as it now is', async () => {
    await firstRunAdmin(world, [MARIA])
    const { maria, secret } = await mariaWithTwoFactor()
    const deactivate = maria.page.getByRole('button', { name: 'Deactivate 2FA' })
    await deactivate.click()
    const dialog = maria.page.getByRole('dialog')
    await dialog.getByLabel('Authentication code').fill(totpCode(secret, 1))
    cli(['user', 'enforce', MARIA.email])
    await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click()
    await dialog.getByRole('alert').filter({ hasText: '2FA is enforced for your account, so you cannot deactivate it.' }).waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await deactivate.isDisabled()).toBe(true)
    await maria.page.getByText('Enforced individually: you cannot deactivate 2FA.').waitFor()
  })
})

describe('one wording per fact of enforcement (item 10)', () => {
  it('My account, the shield tooltip and the command line say why 2FA is enforced in the same words', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    cli(['enforce-all'])
    const maria = await world.person()
    await maria.logIn(MARIA.email, MARIA.password)
    await maria.page.getByRole('button', { name: 'Log in', exact: true }).waitFor({ state: 'detached' })
    const { secret } = await maria.activateTwoFactor()
    void secret
    await maria.heading('My account').waitFor()
    await maria.page.getByText('Enforced for all users: you cannot deactivate 2FA.').waitFor()
    expect(await maria.page.getByText(/by an administrator/).count()).toBe(0)

    await admin.page.reload()
    await admin.row(ADMIN.email).waitFor()
    await admin.shield(ADMIN.email).hover()
    await admin.page.getByText('Always enforced for administrators').first().waitFor()
    await admin.shield(MARIA.email).hover()
    await admin.page.getByText('Enforced for all users').first().waitFor()
    expect(cli(['user', 'show', MARIA.email])).toContain('(Enforced for all users)')
    expect(cli(['user', 'show', ADMIN.email])).toContain('(Always enforced for administrators)')
  })
})
