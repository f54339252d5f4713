// Account > Groups in headless Chromium against the real browser preview: a
// group created (its field errors tied to the field), members added after a
// dry run that states the effect, an unknown email that changes nothing,
// enforcement with 7 days to activate (the confirmation's exact count, orange
// shields, "activation due by" in the list), a member added to the enforced
// group, revocation, the exemption, and the screen following the command
// line; no sideways scrolling at 900 px; a large group a page at a time.
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

const LENA = { name: 'Lena Berg', email: 'lena@example.com', password: 'lena password 2026' }

/** How soon a change made elsewhere must show (the screens ask every 1.5 s). */
const FOLLOW_MS = 3_000

let world: World
worldForEachTest((started) => (world = started))

interface CliGroup {
  name: string
  members: number
  enforced: boolean
  deadline: string | null
  pending: number
  exemptFromPolicy: boolean
}

function cliGroups(): CliGroup[] {
  const result = world.preview.cli(['group', 'list', '--json'])
  if (result.code !== 0) throw new Error(`group list failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as CliGroup[]
}

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement)

/** The content scrolls down only: nothing sticks out sideways. */
async function expectNoSidewaysScroll(admin: AppPage): Promise<void> {
  const overflow = await admin.page.evaluate(() => {
    const content = document.querySelector('.content')!
    return { content: content.scrollWidth - content.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth }
  })
  expect(overflow).toEqual({ content: 0, page: 0 })
}

describe('Account > Groups', () => {
  it('creates a group, adds members after a dry run, enforces with 7 days to activate, and revokes; an unknown email changes nothing', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM, LENA])
    const page = admin.page
    await admin.goTo('Groups')
    await admin.heading('No groups yet').waitFor()

    // Create group, by keyboard; an empty name is refused at the field, then a name already taken.
    await page.getByRole('button', { name: 'Create group' }).click()
    const create = page.getByRole('dialog', { name: 'Create group' })
    const nameField = create.getByLabel('Name')
    expect(await isFocused(nameField)).toBe(true)
    await page.keyboard.press('Enter')
    await create.getByRole('alert').filter({ hasText: 'Enter a group name.' }).waitFor()
    expect(await nameField.getAttribute('aria-invalid')).toBe('true')
    expect(await nameField.getAttribute('aria-describedby')).toBe(await create.getByRole('alert').getAttribute('id'))
    await page.keyboard.type('Sales')
    await page.keyboard.press('Enter')
    await create.waitFor({ state: 'hidden' })
    await page.getByText('Sales was created.').waitFor()
    await page.getByRole('button', { name: 'Create group' }).click()
    await create.getByLabel('Name').fill('Sales')
    await create.getByRole('button', { name: 'Create group' }).click()
    await create.getByRole('alert').filter({ hasText: 'A group named Sales already exists.' }).waitFor()
    expect(await create.getByLabel('Name').getAttribute('aria-invalid')).toBe('true')
    expect(await isFocused(create.getByLabel('Name'))).toBe(true)
    await create.getByRole('button', { name: 'Cancel' }).click()

    const groups = page.getByRole('table', { name: 'Groups' })
    const salesRow = groups.getByRole('row').filter({ hasText: 'Sales' })
    expect(await salesRow.innerText()).toMatch(/Sales\s+0\s+Not enforced/)
    await salesRow.getByRole('button', { name: 'Sales' }).click()
    await page.getByRole('heading', { name: 'Sales', exact: true }).waitFor()
    await page.getByText('No members yet.').waitFor()

    // An unknown email: the core's message at the field, and nothing changes.
    await page.getByRole('button', { name: 'Add members' }).click()
    const add = page.getByRole('dialog', { name: 'Add members to Sales' })
    const emails = add.getByLabel('Emails')
    expect(await isFocused(emails)).toBe(true)
    await emails.fill(`${MARIA.email}, ${TOM.email}; nobody@example.com`)
    await add.getByRole('button', { name: 'Check the effect' }).click()
    await add.getByRole('alert').filter({ hasText: 'No user with the email nobody@example.com. Nothing was changed.' }).waitFor()
    expect(await emails.getAttribute('aria-invalid')).toBe('true')
    expect(await isFocused(emails)).toBe(true)
    expect(cliGroups()[0]?.members).toBe(0)

    // The dry run says what adding them does, and changes nothing until confirmed.
    await emails.fill(`${MARIA.email}\n${TOM.email};${MARIA.email}`)
    await add.getByRole('button', { name: 'Check the effect' }).click()
    const effect = add.getByRole('status').filter({ hasText: 'will be added' })
    await effect.waitFor()
    expect(await effect.innerText()).toContain('2 users will be added to Sales.')
    expect(await effect.innerText()).toContain("Nobody's 2FA changes")
    expect(cliGroups()[0]?.members).toBe(0)
    await add.getByRole('button', { name: 'Add 2 members' }).click()
    await add.waitFor({ state: 'hidden' })
    await page.getByText('Added 2 members to Sales.').waitFor()
    const members = page.getByRole('table', { name: 'Members of Sales' })
    await admin.expectShield(MARIA.email, '2FA not active')
    await admin.expectShield(TOM.email, '2FA not active')
    expect(cliGroups()[0]?.members).toBe(2)

    // Enforce with 7 days to activate: the confirmation counts exactly who.
    await page.getByRole('button', { name: 'Enforce 2FA for this group' }).click()
    const enforce = page.getByRole('dialog', { name: 'Enforce 2FA for Sales' })
    const days = enforce.getByRole('spinbutton', { name: /^Users have \d* ?days to activate 2FA$/ })
    expect(await days.inputValue()).toBe('0')
    expect(await isFocused(days)).toBe(true)
    await days.fill('400')
    await enforce.getByRole('button', { name: 'Continue' }).click()
    await enforce.getByRole('alert').filter({ hasText: 'Enter whole days from 0 to 365.' }).waitFor()
    expect(await days.getAttribute('aria-invalid')).toBe('true')
    await days.fill('7')
    await enforce.getByText(/^Activation due by /).waitFor()
    await enforce.getByRole('button', { name: 'Continue' }).click()
    const preview = enforce.getByRole('status').filter({ hasText: 'will have to activate 2FA' })
    await preview.waitFor()
    expect(await preview.innerText()).toContain('2 users will have to activate 2FA; 0 of them are overdue immediately.')
    expect(cliGroups()[0]?.enforced).toBe(false)
    await enforce.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await enforce.waitFor({ state: 'hidden' })
    await page.getByText(/^2FA is now enforced for Sales\. Members without 2FA have to activate it by /).waitFor()
    await admin.expectShield(MARIA.email, '2FA enforced, activation pending')
    await admin.expectShield(TOM.email, '2FA enforced, activation pending')
    // The tooltip says until when.
    await admin.shield(TOM.email).focus()
    await members.getByRole('tooltip').filter({ hasText: /Activation due by / }).first().waitFor({ state: 'visible' })
    const group = cliGroups()[0]!
    expect(group.enforced).toBe(true)
    expect(Date.parse(group.deadline!) - Date.now()).toBeGreaterThan(6.9 * 86_400_000)

    // A member added to the enforced group: the dry run says they will have to activate it, by the group's deadline.
    await page.getByRole('button', { name: 'Add members' }).click()
    await add.getByLabel('Emails').fill(LENA.email)
    await add.getByRole('button', { name: 'Check the effect' }).click()
    await add.getByRole('status').filter({ hasText: '1 will have to activate 2FA by ' }).waitFor()
    await add.getByRole('button', { name: 'Add 1 member' }).click()
    await add.waitFor({ state: 'hidden' })
    await admin.expectShield(LENA.email, '2FA enforced, activation pending')

    // In the list: enforced, activation due by a date; the distribution of the members.
    await page.getByRole('button', { name: '← Back to the groups' }).click()
    await salesRow.filter({ hasText: /Enforced, activation due by \S/ }).waitFor()
    expect(await salesRow.innerText()).toMatch(/Sales\s+3\s+Enforced, activation due by .+\s+0 active\s+3 pending\s+0 not active/)

    // No sideways scrolling at 900 px, on the list and on the details.
    await page.setViewportSize({ width: 900, height: 800 })
    await expectNoSidewaysScroll(admin)
    await salesRow.getByRole('button', { name: 'Sales' }).click()
    await members.waitFor()
    await expectNoSidewaysScroll(admin)
    await page.setViewportSize({ width: 1280, height: 860 })

    // Revoke enforcement: the confirmation counts who no longer has to.
    await page.getByRole('button', { name: 'Revoke enforcement' }).click()
    const revoke = page.getByRole('dialog', { name: 'Revoke enforcement for Sales?' })
    await revoke.getByText('3 users will no longer have to activate 2FA.').waitFor()
    await revoke.getByRole('button', { name: 'Revoke enforcement' }).click()
    await revoke.waitFor({ state: 'hidden' })
    await page.getByText('Enforcement for Sales was revoked.').waitFor()
    await admin.expectShield(MARIA.email, '2FA not active')
    await admin.expectShield(LENA.email, '2FA not active')
    expect(cliGroups()[0]).toMatchObject({ enforced: false, members: 3, pending: 0 })

    // Remove a member: the confirmation says what it changes.
    await members.getByRole('button', { name: `Remove ${TOM.name} from Sales` }).click()
    const remove = page.getByRole('dialog', { name: `Remove ${TOM.name} from Sales?` })
    await remove.getByText('stays a user; only their membership of Sales ends.', { exact: false }).waitFor()
    await remove.getByText(`${TOM.name}'s 2FA does not change.`).waitFor()
    await remove.getByRole('button', { name: 'Remove member' }).click()
    await remove.waitFor({ state: 'hidden' })
    // Gone from the members (a refresh that was under way when the dialog closed may answer just after).
    await members.getByRole('row').filter({ hasText: TOM.email }).waitFor({ state: 'detached' })
    expect(cliGroups()[0]).toMatchObject({ members: 2 })

    // The exemption from "Enforce 2FA for all users", by keyboard.
    const exempt = page.getByRole('switch', { name: 'Exempt from "Enforce 2FA for all users"' })
    await exempt.focus()
    await page.keyboard.press('Space')
    await page.getByText('Sales is now exempt from "Enforce 2FA for all users".').waitFor()
    expect(await exempt.isChecked()).toBe(true)
    await page.getByText('This is the exemption group', { exact: false }).waitFor()
    expect(cliGroups()[0]?.exemptFromPolicy).toBe(true)

    // The screen follows the command line: enforced elsewhere, shown here without a reload.
    expect(world.preview.cli(['group', 'enforce', 'Sales', '--grace-days', '3']).code).toBe(0)
    await admin.row(MARIA.email).getByRole('img', { name: '2FA enforced, activation pending', exact: true }).waitFor({ timeout: FOLLOW_MS })
    await page.getByRole('button', { name: 'Change deadline' }).waitFor({ timeout: FOLLOW_MS })
  })

  it('lists a large group a page at a time with Load more', async () => {
    const { admin } = await firstRunAdmin(world)
    const seeded = world.preview.cli(['seed-demo', '--users', '250', '--force'])
    expect(seeded.code).toBe(0)
    const emails = (JSON.parse(world.preview.cli(['user', 'list', '--json']).stdout) as { email: string; role: string }[]).filter((user) => user.role === 'user').map((user) => user.email)
    expect(world.preview.cli(['group', 'add', 'Everyone']).code).toBe(0)
    expect(world.preview.cli(['group', 'members', 'add', 'Everyone', ...emails]).code).toBe(0)
    const total = emails.length.toLocaleString('en-US')

    await admin.goTo('Groups')
    await admin.page.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'Everyone' }).click()
    const members = admin.page.getByRole('table', { name: 'Members of Everyone' })
    await admin.page.getByText(`Members 1–100 of ${total}`).waitFor()
    expect(await members.getByRole('row').count()).toBe(101)
    await admin.page.getByRole('button', { name: 'Load more' }).click()
    await admin.page.getByText(`Members 1–200 of ${total}`).waitFor()
    await admin.page.getByRole('button', { name: 'Load more' }).click()
    await admin.page.getByText(`${total} members`, { exact: true }).waitFor()
    expect(await admin.page.getByRole('button', { name: 'Load more' }).count()).toBe(0)
    expect(await members.getByRole('row').count()).toBe(emails.length + 1)
  })
})
