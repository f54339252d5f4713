// The screenshots of Account > Directory sync against a real OpenLDAP server
// (slapd, as the tests start it): the empty state, the form warning of plain
// ldap://, a test, a preview with an entry it cannot use, a sync, the stop
// before disabling people who left the directory, at 1280 and 900 px wide, and
// the groups to bring in (a refused line, the form, the sync that makes them, a
// preview of members who moved).
import { loadSlapd } from './slapd.mjs'

const PEOPLE = 30

/** Scrolls the content so that the Sync card starts at the top. */
const syncAtTop = (sync) => sync.evaluate((card) => card.scrollIntoView({ block: 'start' }))

/** Answers "Confirm it's you" with the password when the save asks for it, then waits for `done`. */
async function confirmIfAsked(page, password, done) {
  const reauth = page.getByRole('dialog', { name: "Confirm it's you" })
  await reauth.or(done).first().waitFor({ timeout: 30_000 })
  if (await reauth.isVisible()) {
    if (!(await reauth.getByLabel('Your password').isVisible())) await reauth.getByRole('button', { name: 'Use your password instead' }).click()
    await reauth.getByLabel('Your password').fill(password)
    await reauth.getByRole('button', { name: 'Confirm', exact: true }).click()
  }
  await done.waitFor({ timeout: 30_000 })
}

/**
 * `page`: an administrator's page of the preview, signed in. `shot(page, name)` takes one.
 * `dir`: a temporary folder for the bundled helper.
 */
export async function shootDirectorySync({ page, password, shot, shotNow = shot, dir, prefix = '' }) {
  const { startSlapd, slapdInstalled } = await loadSlapd(dir)
  if (!slapdInstalled()) {
    console.log('slapd is not installed: no Directory sync screenshots (apt-get install slapd ldap-utils).')
    return
  }
  // Two groups of the directory (none of their members leaves it below).
  const server = await startSlapd({ users: PEOPLE, groups: { 'VPN Users': [1, 2, 4, 5, 8], Finance: [10, 11, 13] } })
  let large = null
  try {
    // An entry the sync cannot use: a person without an email address.
    await server.add(`dn: uid=jdoe,${server.peopleDn}\nobjectClass: inetOrgPerson\nuid: jdoe\ncn: John Doe\nsn: Doe\n\n`)
    const name = (n) => `${prefix}${n}`
    const sync = page.getByRole('region', { name: 'Sync', exact: true })
    const form = page.getByRole('form', { name: 'Connection' })

    await page.getByRole('navigation').getByRole('button', { name: 'Directory sync', exact: true }).click()
    await page.getByRole('heading', { name: 'No directory connection yet' }).waitFor()
    await shot(page, name('26-directory-empty'))

    await page.getByRole('button', { name: 'Set up a connection' }).click()
    await form.getByLabel('Server URL').fill(server.url)
    await form.getByLabel('Base DN').fill(server.baseDn)
    await form.getByLabel('Bind DN').fill(server.serviceDn)
    await form.getByLabel('Bind password').fill(server.servicePassword)
    await page.locator('.content').click({ position: { x: 5, y: 5 } })
    await shot(page, name('27-directory-form-warning'))

    await form.getByRole('button', { name: 'Test connection' }).click()
    const answered = form.getByText(/^The directory answered:/)
    await answered.waitFor()
    await form.getByRole('button', { name: 'Test connection' }).scrollIntoViewIfNeeded()
    await shot(page, name('28-directory-tested'))

    await form.getByRole('button', { name: 'Save connection' }).click()
    await confirmIfAsked(page, password, form.getByText('The connection was saved.'))

    await sync.getByRole('button', { name: 'Preview sync' }).click()
    await sync.getByRole('heading', { name: 'Preview of the sync' }).waitFor()
    await syncAtTop(sync)
    await shot(page, name('29-directory-preview'))

    await sync.getByRole('button', { name: 'Sync now' }).click()
    await sync.getByRole('heading', { name: 'Sync done' }).waitFor()
    await syncAtTop(sync)
    await shot(page, name('30-directory-synced'))

    // Four of thirty leave the directory: more than the 10 % a sync disables without asking.
    for (const n of [3, 7, 12, 21]) await server.remove(server.userDn(n))
    await sync.getByRole('button', { name: 'Sync now' }).click()
    await sync.getByRole('heading', { name: 'The sync stopped before disabling users' }).waitFor()
    await syncAtTop(sync)
    await shot(page, name('31-directory-mass-disable'))
    await sync.getByRole('button', { name: /^Sync anyway/ }).click()
    await page.getByRole('dialog').waitFor()
    await shot(page, name('32-directory-mass-disable-confirm'))
    await page.getByRole('dialog').getByRole('button', { name: /^Disable/ }).click()
    await sync.getByRole('heading', { name: 'Sync done' }).waitFor()

    // The same screen in a narrow window.
    const viewport = page.viewportSize()
    await page.setViewportSize({ width: 900, height: 800 })
    await page.locator('.content').evaluate((content) => content.scrollTo(0, 0))
    await shot(page, name('33-directory-900'))
    await syncAtTop(sync)
    await shot(page, name('34-directory-900-synced'))
    if (viewport) await page.setViewportSize(viewport)

    // Groups to bring in: a line that is not a DN is refused at the field, then two groups and a DN the directory lacks.
    const groups = form.getByLabel('Groups to bring in')
    await page.locator('.content').evaluate((content) => content.scrollTo(0, 0))
    await groups.fill([server.groupDn('VPN Users'), 'Finance'].join('\n'))
    await form.getByRole('button', { name: 'Save connection' }).click()
    await confirmIfAsked(page, password, form.locator('#directory-sync-groups-error'))
    await groups.evaluate((field) => field.scrollIntoView({ block: 'center' }))
    await shot(page, name('35b-directory-groups-invalid'))
    await groups.fill([server.groupDn('VPN Users'), server.groupDn('Finance'), `cn=Contractors,ou=groups,${server.baseDn}`].join('\n'))
    await groups.evaluate((field) => field.scrollIntoView({ block: 'center' }))
    await shot(page, name('35c-directory-groups-form'))
    await form.getByRole('button', { name: 'Save connection' }).click()
    await confirmIfAsked(page, password, form.getByText('The connection was saved.'))
    await sync.getByRole('button', { name: 'Sync now' }).click()
    await sync.getByRole('heading', { name: 'Sync done' }).waitFor()
    await syncAtTop(sync)
    await shot(page, name('35d-directory-groups-synced'))
    // One joins VPN Users in the directory, another leaves it: the preview says so.
    await server.modify(`dn: ${server.groupDn('VPN Users')}\nchangetype: modify\nadd: member\nmember: ${server.userDn(6)}\n-\ndelete: member\nmember: ${server.userDn(2)}\n\n`)
    await sync.getByRole('button', { name: 'Preview sync' }).click()
    await sync.getByRole('heading', { name: 'Preview of the sync' }).waitFor()
    await syncAtTop(sync)
    await shot(page, name('35e-directory-groups-preview'))
    await groups.fill('')

    // A directory of 20,000 people: the progress while the sync reads and applies them.
    large = await startSlapd({ users: 20_000 })
    await page.locator('.content').evaluate((content) => content.scrollTo(0, 0))
    await form.getByLabel('Server URL').fill(large.url)
    await form.getByLabel('Mass-disable limit (%)').fill('100')
    await form.getByRole('button', { name: 'Save connection' }).click()
    await confirmIfAsked(page, password, form.getByText('The connection was saved.'))
    await sync.getByRole('button', { name: 'Sync now' }).click()
    await sync.getByText(/^(Reading the directory: [1-9]|Applying: [1-9])/).waitFor({ timeout: 60_000 })
    await syncAtTop(sync)
    await shotNow(page, name('35-directory-sync-progress'))
    await sync.getByRole('heading', { name: 'Sync done' }).waitFor({ timeout: 120_000 })
  } finally {
    await server.dispose()
    await large?.dispose()
  }
}
