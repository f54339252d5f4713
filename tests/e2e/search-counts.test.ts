// Account > Users, a search of many matches (issue 14) in headless Chromium
// against the real browser preview: every match is listed (no "1,000+"), the
// rows come at once and the exact count when the core has counted it off the
// screens' thread; typing fast ends with the last term's count only; "Select
// all N matching" takes the same exact number; and the screen passes axe.
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { firstRunAdmin, worldForEachTest } from './support/fixtures'
import { expectNoViolations } from './support/axe'

let world: World
worldForEachTest((started) => (world = started))

const toolbarCount = (admin: AppPage) => admin.page.locator('.toolbar-count')
const usersTable = (admin: AppPage): Locator => admin.page.getByRole('table', { name: 'Users' })
const bar = (admin: AppPage): Locator => admin.page.getByRole('toolbar', { name: 'Selected users' })

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** How many users the term matches, counted here from the whole directory (`user list --json`), not by the engine. */
function matching(term: string): number {
  const everyone = JSON.parse(world.preview.cli(['user', 'list', '--json']).stdout) as { name: string; email: string }[]
  const q = lower(term)
  return everyone.filter((user) => lower(user.name).includes(q) || lower(user.email).includes(q)).length
}

describe('Account > Users: a search of many matches', () => {
  it('lists every match with its exact count, ends typing with the last term’s count, and selects all of them', async () => {
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    const seeded = world.preview.cli(['seed-demo', '--users', '3000', '--force'])
    expect(seeded.code, seeded.stderr).toBe(0)
    const term = 'example.com'
    const expected = matching(term)
    // More than the page's own count reaches: the count comes from countUsers.
    expect(expected).toBeGreaterThan(1000)
    expect(expected).toBeLessThan(matching('example'))
    await page.reload()
    await toolbarCount(admin).filter({ hasText: /users$/ }).waitFor()

    // Typed key by key, nothing awaited between keystrokes.
    await page.getByLabel('Search').pressSequentially(term)
    const text = `${expected.toLocaleString('en-US')} users match`
    await toolbarCount(admin).filter({ hasText: text }).waitFor()
    expect(await toolbarCount(admin).innerText()).toBe(text)
    await page.locator('.table-footer').filter({ hasText: `of ${expected.toLocaleString('en-US')} users` }).waitFor()
    const emails = await usersTable(admin).locator('tbody tr .col-email').allInnerTexts()
    expect(emails.length).toBeGreaterThan(0)
    for (const email of emails) expect(lower(email)).toContain(term)
    await expectNoViolations(page, 'the Users screen with a search of many matches')

    // "Select all N matching" is the same exact number.
    await usersTable(admin).getByRole('checkbox', { name: 'Select the users shown' }).check()
    await bar(admin).getByRole('button', { name: `Select all ${expected.toLocaleString('en-US')} matching this filter` }).click()
    await bar(admin).getByText(`${expected.toLocaleString('en-US')} selected`).waitFor()

    // A broader term typed after it: its own exact count, never the one before.
    await page.getByLabel('Search').fill('')
    await page.getByLabel('Search').pressSequentially('example')
    const all = matching('example')
    await toolbarCount(admin).filter({ hasText: `${all.toLocaleString('en-US')} users match` }).waitFor()
  })
})
