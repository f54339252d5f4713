// Account > Users, finding the right people (issue 13) in headless Chromium
// against the real browser preview: a count is only ever the count of the
// list as now filtered (defect 8: the pending filter briefly showed the whole
// directory's count), and the filters beside the 2FA status (role, enforced
// by, locked, disabled, source, few recovery codes left) list exactly their
// users, by keyboard too, and clear together.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'
import { expectNoViolations } from './support/axe'

let world: World
worldForEachTest((started) => (world = started))

const toolbarCount = (admin: AppPage) => admin.page.locator('.toolbar-count')

/** Every text the count and the table footer show from now on, in order, recorded in the page as the DOM changes. */
async function recordCounts(admin: AppPage): Promise<() => Promise<{ count: string[]; footer: string[] }>> {
  await admin.page.evaluate(() => {
    const seen = { count: [] as string[], footer: [] as string[] }
    const note = () => {
      const count = document.querySelector('.toolbar-count')?.textContent ?? ''
      const footer = document.querySelector('.table-footer .muted')?.textContent ?? ''
      if (seen.count[seen.count.length - 1] !== count) seen.count.push(count)
      if (seen.footer[seen.footer.length - 1] !== footer) seen.footer.push(footer)
    }
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true })
    ;(window as unknown as { seenCounts: typeof seen }).seenCounts = seen
  })
  return () => admin.page.evaluate(() => (window as unknown as { seenCounts: { count: string[]; footer: string[] } }).seenCounts)
}

function statusJson(): { total: number; pending: number; active: number } {
  const result = world.preview.cli(['status', '--json'])
  if (result.code !== 0) throw new Error(result.stderr)
  return JSON.parse(result.stdout) as { total: number; pending: number; active: number }
}

/** The emails of the rows the table shows. */
async function listedEmails(admin: AppPage): Promise<string[]> {
  return admin.page.locator('.users-table tbody tr .col-email').allInnerTexts()
}

describe('Account > Users: counts and filters', () => {
  it('switching the 2FA status filter never shows a count that belongs to another list (defect 8)', async () => {
    const { admin } = await firstRunAdmin(world)
    const seeded = world.preview.cli(['seed-demo', '--users', '3000', '--force'])
    expect(seeded.code, seeded.stderr).toBe(0)
    const { total, pending, active } = statusJson()
    await admin.page.reload()
    await toolbarCount(admin).filter({ hasText: `${total.toLocaleString('en-US')} users` }).waitFor()

    const seen = await recordCounts(admin)
    await admin.page.getByLabel('2FA status').selectOption('pending')
    const pendingText = `${pending.toLocaleString('en-US')} users match`
    await toolbarCount(admin).filter({ hasText: pendingText }).waitFor()
    await admin.page.getByLabel('2FA status').selectOption('active')
    const activeText = `${active.toLocaleString('en-US')} users match`
    await toolbarCount(admin).filter({ hasText: activeText }).waitFor()
    await admin.page.locator('.table-footer').filter({ hasText: `of ${active.toLocaleString('en-US')} users` }).waitFor()

    const { count, footer } = await seen()
    // Only "Counting…" between two lists, never the previous list's number.
    expect(count.filter((text) => text !== 'Counting…')).toEqual([pendingText, activeText])
    expect(count).toContain('Counting…')
    for (const text of footer) {
      if (text === 'Counting…') continue
      expect(text, `footer "${text}" after the filter changed`).toMatch(new RegExp(`of (${pending.toLocaleString('en-US')}|${active.toLocaleString('en-US')}) users$`))
    }
  })

  it('each filter beside the status lists exactly its users, reachable by keyboard, and Clear filters ends them all', async () => {
    const LENA = { name: 'Lena Berg', email: 'lena@example.com', password: 'lena password 2026' }
    const { admin } = await firstRunAdmin(world, [MARIA, TOM, LENA])
    const page = admin.page
    expect(world.preview.cli(['user', 'enforce', MARIA.email]).code).toBe(0)
    expect(world.preview.cli(['user', 'exempt', TOM.email]).code).toBe(0)
    // Two users from a CSV import, one of them disabled.
    const csv = join(mkdtempSync(join(tmpdir(), 'twofa-filters-')), 'people.csv')
    writeFileSync(csv, 'email,name,disabled\nomar@example.com,Omar Haddad,yes\npia@example.com,Pia Lund,no\n')
    const imported = world.preview.cli(['import', 'users', csv])
    expect(imported.code, imported.stderr).toBe(0)
    await page.reload()
    await toolbarCount(admin).filter({ hasText: '6 users' }).waitFor()

    const expectListed = async (emails: string[]) => {
      const text = emails.length === 0 ? null : `${emails.length} user${emails.length === 1 ? '' : 's'} match`
      if (text === null) await page.getByText('No users match these filters.').waitFor()
      else await toolbarCount(admin).filter({ hasText: text }).waitFor()
      expect((await listedEmails(admin)).sort()).toEqual([...emails].sort())
    }

    await page.getByLabel('Enforced by').selectOption({ label: 'Enforced individually' })
    await expectListed([MARIA.email])
    await page.getByLabel('Enforced by').selectOption({ label: 'Exempt' })
    await expectListed([TOM.email])
    await page.getByLabel('Enforced by').selectOption({ label: 'Administrator' })
    await expectListed([ADMIN.email])
    await page.getByLabel('Enforced by').selectOption({ label: 'All' })

    await page.getByLabel('Role').selectOption({ label: 'User' })
    await expectListed([MARIA.email, TOM.email, LENA.email, 'omar@example.com', 'pia@example.com'])
    await page.getByLabel('Source').selectOption({ label: 'CSV import' })
    await expectListed(['omar@example.com', 'pia@example.com'])
    await page.getByLabel('Disabled', { exact: true }).selectOption({ label: 'Disabled' })
    await expectListed(['omar@example.com'])
    await page.getByLabel('Disabled', { exact: true }).selectOption({ label: 'Not disabled' })
    await expectListed(['pia@example.com'])
    await page.getByLabel('Locked').selectOption({ label: 'Locked' })
    await expectListed([])

    // Clear filters ends every filter, the extra ones too.
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await toolbarCount(admin).filter({ hasText: /^6 users$/ }).waitFor()
    for (const label of ['Role', 'Enforced by', 'Locked', 'Disabled', 'Source']) expect(await page.getByLabel(label, { exact: true }).inputValue(), label).toBe('')

    // The admin has 2FA active and all ten recovery codes: not "few".
    await page.getByLabel('Few recovery codes left').check()
    await expectListed([])
    await page.getByLabel('Few recovery codes left').uncheck()
    await toolbarCount(admin).filter({ hasText: /^6 users$/ }).waitFor()

    // By keyboard: the filters follow the status in the tab order, and a select changes with the arrow keys.
    await page.getByLabel('Role').focus()
    await page.keyboard.press('Tab')
    expect(await page.getByLabel('Enforced by').evaluate((element) => element === document.activeElement)).toBe(true)
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.getByLabel('Role').inputValue()).not.toBe('')
    await toolbarCount(admin).filter({ hasText: /match$/ }).waitFor()
  })
})

describe('Account > Users: optional columns', () => {
  it('the Columns menu adds and hides time columns, remembered after a reload; a column sorts with the users without a time last', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    expect(world.preview.cli(['user', 'enforce', TOM.email]).code).toBe(0)
    await page.reload()
    await toolbarCount(admin).filter({ hasText: '3 users' }).waitFor()

    const columnsButton = page.getByRole('button', { name: /^Columns/ })
    expect(await columnsButton.getAttribute('aria-expanded')).toBe('false')
    await columnsButton.click()
    const panel = page.getByRole('group', { name: 'Show columns' })
    await panel.getByLabel('Enforced since').check()
    await panel.getByLabel('Last 2FA login').check()
    await expectNoViolations(page, 'the Users filters with the Columns menu open and two time columns shown')
    // Escape closes the menu and gives the focus back to its button.
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'hidden' })
    expect(await columnsButton.evaluate((element) => element === document.activeElement)).toBe(true)
    expect(await columnsButton.innerText()).toBe('Columns (2)')

    // The column names (the selection checkbox's column, if any, has none).
    const headers = async () => (await page.locator('.users-table thead th').allInnerTexts()).map((text) => text.trim()).filter((text) => text !== '')
    expect(await headers()).toEqual(['Name', 'Email', 'Role', 'Last 2FA login', 'Enforced since', 'Groups', '2FA'])
    // Only Tom is enforced individually; the admin signed in with 2FA (first run), the others never did.
    await admin.row(TOM.email).locator('.col-enforced-since').filter({ hasText: /\d/ }).waitFor()
    expect(await admin.row(MARIA.email).locator('.col-enforced-since').innerText()).toBe('—')
    expect(await admin.row(ADMIN.email).locator('.col-last-2fa').innerText()).toMatch(/\d/)

    // Sorted by a time: those with one first, in either direction.
    await page.getByRole('columnheader', { name: 'Enforced since' }).getByRole('button').click()
    await page.locator('th[aria-sort="ascending"]').filter({ hasText: 'Enforced since' }).waitFor()
    await page.locator('.users-table tbody tr').first().filter({ hasText: TOM.email }).waitFor()
    await page.getByRole('columnheader', { name: 'Enforced since' }).getByRole('button').click()
    await page.locator('th[aria-sort="descending"]').filter({ hasText: 'Enforced since' }).waitFor()
    await page.locator('.users-table tbody tr').first().filter({ hasText: TOM.email }).waitFor()

    // Remembered: after a reload the columns are still there.
    await page.reload()
    await toolbarCount(admin).filter({ hasText: '3 users' }).waitFor()
    expect(await headers()).toContain('Enforced since')

    // Hiding the column the list is sorted by sorts by name again.
    await page.getByRole('columnheader', { name: 'Enforced since' }).getByRole('button').click()
    await page.locator('th[aria-sort="ascending"]').filter({ hasText: 'Enforced since' }).waitFor()
    await columnsButton.click()
    await panel.getByLabel('Enforced since').uncheck()
    await page.locator('th[aria-sort="ascending"]').filter({ hasText: 'Name' }).waitFor()
    expect(await headers()).toEqual(['Name', 'Email', 'Role', 'Last 2FA login', 'Groups', '2FA'])
  })
})
