// Accessibility (issue 13): axe-core's WCAG 2.2 A/AA rules find nothing on
// Account > Users and its dialogs (Add user, Import users), filtered lists, a
// shield's tooltip, and the user details with their Security, Sign-in and
// temporary access pass parts and every dialog they open; disabled buttons
// stay readable (defect 4.12).
import { describe, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import { ImportUsersDialog } from './pages/import-users-dialog'
import { expectNoViolations, expectReadableWhenDisabled } from './support/axe'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

const check = (person: AppPage, where: string) => expectNoViolations(person.page, where)

/** Opens a dialog with a button, checks it, and closes it with its Cancel (or the named) button. */
async function checkDialog(person: AppPage, opener: string | RegExp, dialogName: string | RegExp, where: string, close = 'Cancel'): Promise<void> {
  await person.page.getByRole('button', { name: opener, exact: typeof opener === 'string' }).first().click()
  const dialog = person.page.getByRole('dialog', { name: dialogName })
  await dialog.waitFor()
  await check(person, where)
  await dialog.getByRole('button', { name: close, exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
}

describe('accessibility of Account > Users', () => {
  it('the list (alone, with users, filtered, no match), a tooltip, Add user and Import users', async () => {
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    await check(admin, 'Users, only the administrator')

    // Add user: empty, refused, then created.
    await page.getByRole('button', { name: 'Add user', exact: true }).click()
    const add = page.getByRole('dialog', { name: 'Add user' })
    await check(admin, 'the Add user dialog')
    await add.getByLabel('Name').fill(MARIA.name)
    await add.getByLabel('Email').fill('not an email')
    await add.getByLabel('Initial password').fill('short')
    await add.getByRole('button', { name: 'Create user', exact: true }).click()
    await check(admin, 'the Add user dialog, refused')
    await add.getByLabel('Email').fill(MARIA.email)
    await add.getByLabel('Initial password').fill(MARIA.password)
    await add.getByRole('button', { name: 'Create user', exact: true }).click()
    await add.waitFor({ state: 'hidden' })
    await admin.row(MARIA.email).waitFor()
    world.addUser(TOM)
    await page.reload()
    await admin.row(TOM.email).waitFor()
    await check(admin, 'Users, with users')

    await admin.shield(MARIA.email).focus()
    await page.getByRole('tooltip').filter({ hasText: /\S/ }).first().waitFor()
    await check(admin, "Users, a shield's tooltip")

    await page.getByLabel('2FA status').selectOption({ label: '2FA not active' })
    await page.getByText(/\busers? match\b/).first().waitFor()
    await admin.row(TOM.email).waitFor()
    await check(admin, 'Users, filtered by 2FA status')
    await page.getByLabel('Search').fill('nobody-by-this-name')
    await page.getByText('No users match these filters.').waitFor()
    await check(admin, 'Users, no match')
    await page.getByRole('button', { name: 'Clear filters', exact: true }).first().click()
    await admin.row(TOM.email).waitFor()

    // Import users: the file picker, a file with problems, a preview, the outcome.
    const importer = new ImportUsersDialog(admin)
    await importer.open()
    await check(admin, 'Import users: choose a file')
    await importer.choose('bad.csv', 'email,name,role\nnot-an-email,Someone,user\nli@example.com,Li,boss\n')
    await importer.problems().waitFor()
    await check(admin, 'Import users: problems')
    await importer.button('Choose another file').click()
    await importer.choose('people.csv', `email,name\nli.wei@example.com,Li Wei\n${MARIA.email},Maria Garcia-Lopez\n`)
    await importer.changes().waitFor()
    await check(admin, 'Import users: the preview of the changes')
    await importer.importButton().click()
    await importer.dialog.getByText('people.csv was imported.').waitFor()
    await check(admin, 'Import users: imported')
    await importer.button('Done').click()
    await importer.dialog.waitFor({ state: 'hidden' })
  })

  it("the user details: Security, Sign-in, the temporary access pass, and each dialog they open", async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    // Tom has 2FA, so that Reset 2FA can be asked.
    const tom = await world.person()
    await tom.logIn(TOM.email, TOM.password)
    await tom.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await tom.activateTwoFactor()
    await admin.page.reload()

    await admin.openUser(MARIA.name)
    await check(admin, 'User details (2FA not active)')
    // Defect 4.12: disabled buttons looked washed out. They look disabled (grey), and stay readable.
    for (const name of ['Reset 2FA', 'Save profile', 'Save']) await expectReadableWhenDisabled(page.getByRole('button', { name, exact: true }), name)
    await checkDialog(admin, /^(Set|Change) password$/, /^(Set a password for|Change the password of) /, 'the Set password dialog')

    const security = page.getByRole('region', { name: 'Security' })
    await admin.enforceCheckbox().check()
    await check(admin, 'User details: Enforce 2FA activation checked, not saved')
    await admin.saveSecurity()
    await admin.successMessage().waitFor()
    await check(admin, 'User details: enforcement saved')

    await security.getByRole('button', { name: 'Issue temporary access pass', exact: true }).click()
    const issue = page.getByRole('dialog', { name: /^Issue a temporary access pass for / })
    await issue.waitFor()
    await check(admin, 'the Issue temporary access pass dialog')
    await issue.getByRole('button', { name: 'Issue pass', exact: true }).click()
    const shown = page.getByRole('dialog', { name: /^Temporary access pass for / })
    await shown.waitFor()
    await check(admin, 'the temporary access pass, shown once')
    await shown.getByRole('button', { name: 'Done', exact: true }).click()
    await shown.waitFor({ state: 'hidden' })
    await security.getByText(/^Active until /).waitFor()
    await check(admin, 'User details: an active temporary access pass')

    await admin.goTo('Users')
    await admin.openUser(TOM.name)
    await check(admin, 'User details (2FA active)')
    await checkDialog(admin, 'Reset 2FA', `Reset 2FA for ${TOM.name}?`, 'the Reset 2FA dialog')
  })
})
