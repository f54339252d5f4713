// Import users end to end, in headless Chromium against the real browser
// preview: a CSV as Excel writes it in much of Europe (a BOM, semicolons, a
// quoted field) checked, previewed and imported through the dialog; a file
// with problems refused with every problem and its line; and an imported
// user, who has no password yet, given one by the administrator and signing in.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ImportUsersDialog, SignInSection } from './pages/import-users-dialog'
import { ADMIN, firstRunAdmin, MARIA, World } from './support/fixtures'

const REAUTH_WINDOW_MS = 2_000
const LI_PASSWORD = 'li wei first password 2026'

let world: World
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await world.captureFailure(context.task.name)
  await world.stop()
})

const userEmails = (): string[] => (JSON.parse(world.preview.cli(['user', 'list', '--json']).stdout) as { email: string }[]).map((user) => user.email).sort()

describe('Import users', () => {
  it('imports a CSV with a BOM, semicolons and a quoted field; the new users appear, with no password yet, until the admin sets one they sign in with', async () => {
    world = await World.start()
    const { admin } = await firstRunAdmin(world, [MARIA])
    const importer = new ImportUsersDialog(admin)

    // The first focus is on the file input; Escape closes the dialog.
    await importer.open()
    expect(await admin.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('file')
    await admin.page.keyboard.press('Escape')
    await importer.dialog.waitFor({ state: 'hidden' })

    await importer.open()
    const csv = ['\ufeffemail;name;role;enforce', 'li.wei@example.com;"Wei; Li";user;yes', 'sam.okafor@example.com;Sam Okafor;;', `${MARIA.email};Maria Garcia-Lopez;;`, ''].join('\r\n')
    await importer.choose('people.csv', csv)
    expect(await importer.rows(importer.changes())).toEqual([
      ['2', 'li.wei@example.com new', 'Name Wei; Li Role User 2FA Enforced'],
      ['3', 'sam.okafor@example.com new', 'Name Sam Okafor Role User'],
      ['4', `${MARIA.email} update`, 'Name Maria Garcia → Maria Garcia-Lopez']
    ])
    expect((await importer.counts().innerText()).replace(/\s+/g, ' ')).toBe('2 to create 1 to update 0 unchanged')
    await importer.dialog.getByText('people.csv · 3 rows').waitFor()
    // A dry run changed nothing.
    expect(userEmails()).toEqual([ADMIN.email, MARIA.email])

    await importer.importButton().click()
    await importer.dialog.getByText('people.csv was imported.').waitFor()
    expect((await importer.counts().innerText()).replace(/\s+/g, ' ')).toBe('2 created 1 updated 0 unchanged')
    expect(await admin.page.evaluate(() => document.activeElement?.textContent)).toBe('Done')
    await importer.button('Done').click()
    await importer.dialog.waitFor({ state: 'hidden' })

    // The list shows them at once.
    await admin.row('li.wei@example.com').waitFor()
    await admin.row('sam.okafor@example.com').waitFor()
    await admin.row(MARIA.email).filter({ hasText: 'Maria Garcia-Lopez' }).waitFor()
    expect(userEmails()).toEqual([ADMIN.email, MARIA.email, 'li.wei@example.com', 'sam.okafor@example.com'].sort())

    // An imported user has no password yet: nobody can sign in as them.
    const li = await world.person()
    await li.logIn('li.wei@example.com', LI_PASSWORD)
    await li.alert().waitFor()
    expect(await li.heading('Activate 2FA').count()).toBe(0)

    await admin.openUser('Wei; Li')
    const signIn = new SignInSection(admin)
    expect(await signIn.facts()).toEqual({ Account: 'Imported from CSV', Password: 'No password yet' })
    await signIn.setPassword(LI_PASSWORD, ADMIN.password)
    await admin.successMessage().filter({ hasText: 'Wei; Li has a password now.' }).waitFor()
    expect(await signIn.facts()).toEqual({ Account: 'Imported from CSV', Password: 'Set' })
    await signIn.section.getByRole('button', { name: 'Change password', exact: true }).waitFor()

    // Now they sign in with it, and (enforced by the file) have to activate 2FA.
    await li.page.reload()
    await li.logIn('li.wei@example.com', LI_PASSWORD)
    await li.heading('Activate 2FA').waitFor()
  })

  it('a file with problems shows each one with its line, keeps Import disabled, and changes nothing', async () => {
    world = await World.start()
    const { admin } = await firstRunAdmin(world, [MARIA])
    const before = world.preview.cli(['user', 'list', '--json']).stdout
    const importer = new ImportUsersDialog(admin)
    await importer.open()

    const csv = ['email,name,role', 'not-an-email,Someone,user', `${MARIA.email},,boss`, 'new.person@example.com,New Person,user', 'new.person@example.com,Again,user'].join('\n')
    await importer.choose('draft.csv', csv)
    expect(await importer.rows(importer.problems())).toEqual([
      ['2', 'not-an-email', '"not-an-email": Enter an email address like name@example.com.'],
      ['3', MARIA.email, 'Role is "boss": use admin or user.'],
      ['5', 'new.person@example.com', 'new.person@example.com is also on line 4: each user may appear once.']
    ])
    await importer.dialog.getByRole('alert').filter({ hasText: 'Nothing can be imported: the file has 3 problems.' }).waitFor()
    expect(await importer.importButton().isDisabled()).toBe(true)
    // The problems take the focus: their table scrolls with the arrow keys.
    expect(await admin.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Problems')

    // A column the import does not know: the dialog offers to ignore it and checks the file again.
    await importer.button('Choose another file').click()
    await importer.choose('with-notes.csv', 'email,name,notes\nnew.person@example.com,New Person,starts Monday\n')
    expect(await importer.rows(importer.problems())).toEqual([
      ['1', '—', 'Unknown column "notes". The columns are email, name, role, enforce, disabled; remove the others, or ignore them (Ignore other columns).']
    ])
    await importer.button('Ignore other columns and check again').click()
    expect(await importer.rows(importer.changes())).toEqual([['2', 'new.person@example.com new', 'Name New Person Role User']])
    expect(await importer.importButton().isEnabled()).toBe(true)

    // Closed without importing: nothing changed.
    await admin.page.keyboard.press('Escape')
    await importer.dialog.waitFor({ state: 'hidden' })
    expect(world.preview.cli(['user', 'list', '--json']).stdout).toBe(before)
    expect(await admin.row('new.person@example.com').count()).toBe(0)
    await admin.row(MARIA.email).filter({ hasText: MARIA.name }).waitFor()
  })

  it('a large import shows its progress, and Escape, pressed again and again, does not close it while it runs', async () => {
    world = await World.start()
    const { admin } = await firstRunAdmin(world)
    const importer = new ImportUsersDialog(admin)
    await importer.open()
    const rows = Array.from({ length: 40_000 }, (_, i) => `person${i}@example.com,Person ${i}`)
    await importer.choose('staff.csv', ['email,name', ...rows].join('\n'))
    await importer.importButton().filter({ hasText: 'Import 40,000 users' }).click({ timeout: 60_000 })
    const progress = importer.dialog.getByRole('progressbar')
    await importer.dialog.getByText(/^Importing: .*[1-9][\d,]* of 40,000 rows/).waitFor({ timeout: 60_000 })
    expect(Number(await progress.getAttribute('max'))).toBe(80_000)
    // Chromium stops letting a page refuse Escape after a few presses; the dialog stays all the same.
    for (let press = 0; press < 5; press++) await admin.page.keyboard.press('Escape')
    expect(await importer.dialog.isVisible()).toBe(true)
    await importer.button('Done').waitFor({ timeout: 60_000 })
    expect((await importer.counts().innerText()).replace(/\s+/g, ' ')).toBe('40,000 created 0 updated 0 unchanged')
    await admin.page.keyboard.press('Escape')
    await importer.dialog.waitFor({ state: 'hidden' })
    // Closed the usual way, it opens again at the file picker.
    await importer.open()
  })

  it("after the re-authentication window, setting a password asks Confirm it's you, then goes through", async () => {
    world = await World.start({ env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(REAUTH_WINDOW_MS) } })
    const { admin } = await firstRunAdmin(world)
    const file = join(world.preview.dir, 'people.csv')
    writeFileSync(file, 'email,name\nsam.okafor@example.com,Sam Okafor\n')
    expect(world.preview.cli(['import', 'users', file]).code).toBe(0)
    await admin.page.reload()
    await admin.openUser('Sam Okafor')
    const signIn = new SignInSection(admin)
    expect(await signIn.facts()).toMatchObject({ Password: 'No password yet' })

    await admin.page.waitForTimeout(REAUTH_WINDOW_MS + 500)
    await signIn.section.getByRole('button', { name: 'Set password', exact: true }).click()
    const dialog = admin.page.getByRole('dialog', { name: 'Set a password for Sam Okafor' })
    // The app judges the password: a weak one is refused in the dialog.
    await dialog.getByLabel('New password').fill('password1234')
    await dialog.getByRole('button', { name: 'Set password', exact: true }).click()
    await admin.reauthDialog().or(dialog.getByRole('alert')).first().waitFor()
    if (await admin.reauthDialog().isVisible()) await admin.confirmItsYou({ password: ADMIN.password })
    await dialog.getByRole('alert').waitFor()
    expect(await dialog.isVisible()).toBe(true)

    await admin.page.waitForTimeout(REAUTH_WINDOW_MS + 500)
    await dialog.getByLabel('New password').fill('sam okafor strong password 77')
    await dialog.getByRole('button', { name: 'Set password', exact: true }).click()
    await admin.confirmItsYou({ password: ADMIN.password })
    await dialog.waitFor({ state: 'hidden' })
    await admin.successMessage().filter({ hasText: 'Sam Okafor has a password now.' }).waitFor()
    expect(await signIn.facts()).toMatchObject({ Password: 'Set' })

    const audit = JSON.parse(world.preview.cli(['audit', '--json']).stdout) as { action: string; target: string | null }[]
    expect(audit.filter((entry) => entry.action === 'user.password-changed').map((entry) => entry.target)).toEqual(['sam.okafor@example.com'])

    const sam = await world.person()
    await sam.logIn('sam.okafor@example.com', 'sam okafor strong password 77')
    await sam.heading('My account').waitFor()
  })
})
