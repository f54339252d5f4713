// Account > Directory sync in headless Chromium against the real browser
// preview and a real OpenLDAP server: the connection set up through the
// screen (warned of while it is plain ldap://), tested, previewed and synced,
// and the directory's people in the Users list; then people removed from the
// directory, the stop before disabling them, and the sync confirmed anyway.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PLAIN_LDAP_WARNING } from '../../src/shared/directory-presets'
import { startSlapd, stopAllSlapd, type Slapd } from '../unit/helpers/slapd'
import type { AppPage } from './pages/app-page'
import { ADMIN, firstRunAdmin, World } from './support/fixtures'

const PEOPLE = 30
/** Shortened from 5 minutes: saving the connection asks "Confirm it's you" once the sign-in is older. */
const REAUTH_WINDOW_MS = 2_000

let world: World
let server: Slapd
beforeEach(async () => {
  server = await startSlapd({ users: PEOPLE })
  world = await World.start({ env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(REAUTH_WINDOW_MS) } })
})
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await world.captureFailure(context.task.name)
  await world.stop()
  await server.dispose()
})
afterAll(stopAllSlapd)

function syncCard(admin: AppPage) {
  return admin.page.getByRole('region', { name: 'Sync', exact: true })
}

describe('Account > Directory sync', () => {
  it('sets up the connection through the screen (warned while plain ldap://), tests, previews and syncs it; the people show in Users', async () => {
    const { admin } = await firstRunAdmin(world)
    await admin.goTo('Directory sync')
    await admin.heading('No directory connection yet').waitFor()
    await admin.page.getByRole('button', { name: 'Set up a connection' }).click()

    const form = admin.page.getByRole('form', { name: 'Connection' })
    // The first field has the focus: the keyboard starts in the form.
    expect(await admin.page.getByLabel('Directory type').evaluate((element) => element === document.activeElement)).toBe(true)
    await form.getByLabel('Server URL').fill(server.url)
    await form.getByLabel('Base DN').fill(server.baseDn)
    await form.getByLabel('Bind DN').fill(server.serviceDn)
    await form.getByLabel('Bind password').fill(server.servicePassword)
    // ldap://127.0.0.1 without StartTLS: said while it is typed, in the core's words.
    await form.getByText(PLAIN_LDAP_WARNING).waitFor()
    expect(await form.getByLabel('Login attribute').getAttribute('placeholder')).toBe('uid')
    await form.getByLabel('Directory type').selectOption({ label: 'Active Directory' })
    expect(await form.getByLabel('Login attribute').getAttribute('placeholder')).toBe('sAMAccountName')
    await form.getByLabel('Directory type').selectOption({ label: 'OpenLDAP' })

    // A wrong bind password is refused by the directory, in the core's words; nothing is stored.
    await form.getByLabel('Bind password').fill('not the password')
    await form.getByRole('button', { name: 'Test connection' }).click()
    await form.getByRole('alert').filter({ hasText: /bind/i }).waitFor()
    await form.getByLabel('Bind password').fill(server.servicePassword)
    await form.getByRole('button', { name: 'Test connection' }).click()
    await form.getByText(`The directory answered: ${PEOPLE} users would be synced.`).waitFor()

    // Changing the connection decides who can sign in: an old sign-in is confirmed first, and the save goes on.
    await admin.page.waitForTimeout(REAUTH_WINDOW_MS + 500)
    await form.getByRole('button', { name: 'Save connection' }).click()
    await admin.confirmItsYou({ password: ADMIN.password })
    await form.getByText('The connection was saved.').waitFor()
    // Stored: the password field is empty and says so; the warning stays.
    expect(await form.getByLabel('Bind password').inputValue()).toBe('')
    await form.getByText('Stored. Leave empty to keep it.').waitFor()
    await form.getByText(PLAIN_LDAP_WARNING).waitFor()
    await syncCard(admin).getByText('Not synced yet.').waitFor()

    await syncCard(admin).getByRole('button', { name: 'Preview sync' }).click()
    await syncCard(admin).getByRole('heading', { name: 'Preview of the sync' }).waitFor()
    const planned = syncCard(admin).getByRole('list', { name: 'What the sync does' })
    expect(await planned.innerText()).toMatch(new RegExp(`${PEOPLE}\\s+to create`))
    await syncCard(admin).getByRole('region', { name: 'Changes' }).getByText('user00001@example.com').waitFor()
    // Nothing was changed by the preview.
    expect(JSON.parse(world.preview.cli(['ldap', 'show', '--json']).stdout)).toMatchObject({ lastSyncAt: null })

    await syncCard(admin).getByRole('button', { name: 'Sync now' }).click()
    await syncCard(admin).getByRole('heading', { name: 'Sync done' }).waitFor()
    // The outcome has the focus, for the keyboard to go on from.
    expect(await syncCard(admin).getByRole('heading', { name: 'Sync done' }).evaluate((element) => element === document.activeElement)).toBe(true)
    const last = syncCard(admin).getByRole('list', { name: 'What the last sync did' })
    expect(await last.innerText()).toMatch(new RegExp(`${PEOPLE}\\s+created`))
    await syncCard(admin).getByText(/^Last sync:/).waitFor()

    await admin.goTo('Users')
    await admin.row('user00001@example.com').waitFor()
    await admin.page.getByText(`${PEOPLE + 1} users`).first().waitFor()
    await admin.expectShield('user00002@example.com', '2FA not active')
  })

  it('stops before disabling the people removed from the directory, and syncs anyway once confirmed', async () => {
    const { admin } = await firstRunAdmin(world)
    const set = world.preview.cli(['ldap', 'set', '--url', server.url, '--base-dn', server.baseDn, '--bind-dn', server.serviceDn, '--bind-password-stdin'], server.servicePassword)
    expect(set.code, set.stderr).toBe(0)
    expect(world.preview.cli(['ldap', 'sync']).code).toBe(0)

    await admin.goTo('Directory sync')
    // Filled from what is stored, the warning shown.
    expect(await admin.page.getByLabel('Server URL').inputValue()).toBe(server.url)
    await admin.page.getByText(PLAIN_LDAP_WARNING).waitFor()
    expect(await syncCard(admin).getByRole('list', { name: 'What the last sync did' }).innerText()).toMatch(new RegExp(`${PEOPLE}\\s+created`))

    // 4 of 30 (13 %) leave the directory: more than the limit of 10 %.
    for (const n of [1, 2, 3, 4]) await server.remove(server.userDn(n))
    await syncCard(admin).getByRole('button', { name: 'Sync now' }).click()
    await syncCard(admin).getByRole('heading', { name: 'The sync stopped before disabling users' }).waitFor()
    const stop = syncCard(admin).getByRole('alert')
    expect(await stop.innerText()).toContain(`It would have disabled 4 users of the ${PEOPLE} users synced from the directory, more than the limit of 10%. Nothing was changed.`)
    await syncCard(admin).getByRole('region', { name: 'Changes' }).getByText('user00004@example.com').waitFor()
    expect(JSON.parse(world.preview.cli(['user', 'show', 'user00001@example.com', '--json']).stdout)).toMatchObject({ disabled: false })

    const confirmation = await admin.clickAndConfirm('Sync anyway (disable 4 users)', 'Disable 4 users')
    expect(confirmation).toContain('they can no longer sign in')
    await syncCard(admin).getByRole('heading', { name: 'Sync done' }).waitFor()
    expect(await syncCard(admin).getByRole('list', { name: 'What the sync did' }).innerText()).toMatch(/4\s+disabled/)
    expect(await syncCard(admin).getByRole('list', { name: 'What the last sync did' }).innerText()).toMatch(/4\s+disabled/)

    await admin.goTo('Users')
    await admin.row('user00001@example.com').getByText('Disabled', { exact: true }).waitFor()
    expect(await admin.row('user00005@example.com').getByText('Disabled', { exact: true }).count()).toBe(0)
  })
})
