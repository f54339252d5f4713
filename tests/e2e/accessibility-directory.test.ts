// Accessibility (issue 13): axe-core's WCAG 2.2 A/AA rules find nothing on
// Account > Directory sync with a real OpenLDAP server behind it: the stored
// connection with its last sync, a preview of the sync, a sync done, the stop
// before disabling users and its confirmation; and on a Users export.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSlapd, stopAllSlapd, type Slapd } from '../unit/helpers/slapd'
import type { AppPage } from './pages/app-page'
import { expectNoViolations } from './support/axe'
import { firstRunAdmin, World } from './support/fixtures'

const PEOPLE = 20

let world: World
let server: Slapd
beforeEach(async () => {
  server = await startSlapd({ users: PEOPLE })
  world = await World.start()
})
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await world.captureFailure(context.task.name)
  await world.stop()
  await server.dispose()
})
afterAll(stopAllSlapd)

const check = (person: AppPage, where: string) => expectNoViolations(person.page, where)

describe('accessibility of Directory sync and exports', () => {
  it('the stored connection, a preview, a sync, the stop before disabling users and its confirmation; a Users export', async () => {
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    const set = world.preview.cli(['ldap', 'set', '--url', server.url, '--base-dn', server.baseDn, '--bind-dn', server.serviceDn, '--bind-password-stdin'], server.servicePassword)
    expect(set.code, set.stderr).toBe(0)
    expect(world.preview.cli(['ldap', 'sync']).code).toBe(0)

    await admin.goTo('Directory sync')
    const sync = page.getByRole('region', { name: 'Sync', exact: true })
    await sync.getByRole('list', { name: 'What the last sync did' }).waitFor()
    await check(admin, 'Directory sync, a stored connection and its last sync')
    await sync.getByRole('button', { name: 'Preview sync' }).click()
    await sync.getByRole('heading', { name: 'Preview of the sync' }).waitFor()
    await check(admin, 'Directory sync, a preview')

    // 3 of 20 (15 %) leave the directory: more than the limit of 10 %.
    for (const n of [1, 2, 3]) await server.remove(server.userDn(n))
    await sync.getByRole('button', { name: 'Sync now' }).click()
    await sync.getByRole('heading', { name: 'The sync stopped before disabling users' }).waitFor()
    await check(admin, 'Directory sync, stopped before disabling users')
    await page.getByRole('button', { name: 'Sync anyway (disable 3 users)' }).click()
    const confirm = page.getByRole('dialog')
    await confirm.waitFor()
    await check(admin, 'Directory sync, the confirmation to disable users')
    await confirm.getByRole('button', { name: 'Disable 3 users' }).click()
    await sync.getByRole('heading', { name: 'Sync done' }).waitFor()
    await check(admin, 'Directory sync, a sync done')

    await admin.goTo('Users')
    await admin.row('user00001@example.com').getByText('Disabled', { exact: true }).waitFor()
    await check(admin, 'Users, with disabled directory users')
    await admin.exportAs('CSV')
    await admin.successMessage().filter({ hasText: /\S/ }).or(page.getByRole('status').filter({ hasText: /export/i })).first().waitFor()
    await check(admin, 'Users, exported')
  })
})
