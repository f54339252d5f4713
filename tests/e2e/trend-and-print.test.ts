// Issue 12 in the browser: the 2FA trend on Account > Security (earlier days
// recorded in the file as the app would have, today's change made on screen),
// and recovery codes printed from enrollment and from My account, checked under
// print media: the sheet alone, with name, email, date and the codes.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'
import { seedHistory as seedDays, type HistoryDay } from './support/history'
import { decodeQrPng, secretOf, totpCode } from './support/totp'

let world: World
worldForEachTest((started) => (world = started))

/** Rows of distribution_history for earlier days, as the app records them (migration 10). */
const seedHistory = (rows: HistoryDay[]): void => seedDays(world.preview.dbPath, rows)

/** Stands in for the print dialog, which headless Chromium would not show: counts the calls. */
async function stubPrint(page: Page): Promise<void> {
  await page.evaluate(() => {
    const counted = window as unknown as { printed: number }
    counted.printed = 0
    window.print = () => {
      counted.printed += 1
    }
  })
}

const printCalls = (page: Page) => page.evaluate(() => (window as unknown as { printed: number }).printed)

/** Under print media: the sheet is all there is, with whose codes they are, the date and every code. */
async function expectOnlyTheSheet(page: Page, person: { name: string; email: string }, codes: string[]): Promise<void> {
  await page.emulateMedia({ media: 'print' })
  const sheet = page.getByRole('article', { name: 'Recovery codes for printing' })
  expect(await sheet.isVisible()).toBe(true)
  expect(await page.locator('#root').isVisible()).toBe(false)
  const text = await sheet.innerText()
  expect(text).toContain(person.name)
  expect(text).toContain(person.email)
  expect(text).toContain(String(new Date().getFullYear()))
  expect(text).toMatch(/Created\s+\S+/)
  for (const code of codes) expect(text).toContain(code)
  expect(text).toContain('How to use them')
  // Nothing of the app around it: the only visible text on the page is the sheet's.
  expect((await page.locator('body').innerText()).trim()).toBe(text.trim())
  const pdf = await page.pdf({ format: 'A4' })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  expect(pdf.length).toBeGreaterThan(5_000)
  await page.emulateMedia({ media: 'screen' })
  expect(await sheet.isVisible()).toBe(false)
  expect(await page.locator('#root').isVisible()).toBe(true)
}

describe('Account > Security: 2FA over time', () => {
  it('shows the trend of active, pending and not active with the enforcement change of today', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    seedHistory([
      { daysAgo: 30, active: 1, pending: 0, inactive: 0 },
      { daysAgo: 12, active: 1, pending: 0, inactive: 2 }
    ])
    await admin.goTo('Security')
    const chart = admin.page.getByRole('img', { name: '2FA among your users over the last 90 days' })
    await chart.waitFor()
    expect(await admin.page.locator('.trend-line').evaluateAll((lines) => lines.map((line) => line.getAttribute('stroke')))).toEqual(['#1a7f37', '#d46b08', '#cf222e'])
    expect(await admin.page.locator('.trend-event').count()).toBe(0)

    await admin.clickAndConfirm('Enforce 2FA for all users', 'Enforce 2FA')
    await admin.successMessage().waitFor()
    // The change is on the chart at once: marker 1, and the list under it.
    const changes = admin.page.getByRole('list', { name: 'Enforcement changes and deadlines' })
    await changes.getByText('2FA enforced for all users').waitFor()
    expect(await changes.innerText()).toContain(`by ${ADMIN.email}`)
    expect(await admin.page.locator('.trend-event').count()).toBe(1)

    // The numbers behind the lines, as a screen reader reads them: three days, today's after the change
    // (active, pending, not active, overdue: not counted on the days seeded without it).
    const rows = await admin.page.locator('.trend table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(1).map((cell) => cell.textContent)))
    expect(rows).toEqual([
      ['1', '0', '0', '–'],
      ['1', '0', '2', '–'],
      ['1', '2', '0', '2']
    ])
    const description = await chart.evaluate((svg) => svg.querySelector('desc')?.textContent ?? '')
    expect(description).toContain('2FA enforced, activation pending went from 0 to 2 users')
  })

  it('marks a deadline when the enforcement gives a grace period, and follows a change made elsewhere', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    seedHistory([{ daysAgo: 5, active: 1, pending: 0, inactive: 1 }])
    await admin.goTo('Security')
    await admin.page.getByRole('img', { name: '2FA among your users over the last 90 days' }).waitFor()
    // Another window of the same administrator enforces with 14 days to activate.
    const result = await admin.page.evaluate(() =>
      (window as unknown as { api: { enforceForAllUsers: (input: { graceDays: number }) => Promise<{ ok: boolean }> } }).api.enforceForAllUsers({ graceDays: 14 })
    )
    expect(result.ok).toBe(true)
    const changes = admin.page.getByRole('list', { name: 'Enforcement changes and deadlines' })
    await changes.getByText('Deadline to activate 2FA: all users').waitFor()
    expect(await admin.page.locator('.trend-deadline').count()).toBe(1)
  })

  it('says the trend comes with the second recorded day on a new directory', async () => {
    const { admin } = await firstRunAdmin(world)
    await admin.goTo('Security')
    await admin.page.getByText('The trend appears once 2FA has been recorded on two days.').waitFor()
    expect(await admin.page.getByRole('img', { name: /over the last 90 days/ }).count()).toBe(0)
  })
})

describe('printing recovery codes', () => {
  it('from enrollment: Print opens the print dialog, and the printed page holds only the sheet', async () => {
    const admin = await world.person()
    await admin.setUpFirstAdmin(ADMIN.name, ADMIN.email, ADMIN.password)
    const qr = admin.page.getByAltText('QR code for your authenticator app')
    await qr.waitFor({ state: 'visible' })
    const secret = secretOf(decodeQrPng(await qr.screenshot()))
    await admin.page.getByLabel('Authentication code').fill(totpCode(secret))
    await admin.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    const list = admin.page.getByRole('list', { name: 'Recovery codes' })
    await list.waitFor()
    const codes = (await list.getByRole('listitem').allInnerTexts()).map((code) => code.trim())

    await stubPrint(admin.page)
    await admin.page.getByRole('button', { name: 'Print', exact: true }).click()
    expect(await printCalls(admin.page)).toBe(1)
    await expectOnlyTheSheet(admin.page, ADMIN, codes)

    // Once the codes are put away, the sheet goes with them.
    await admin.page.getByLabel('I have saved my recovery codes').check()
    await admin.page.getByRole('button', { name: 'Continue', exact: true }).click()
    await admin.heading('Users').waitFor()
    expect(await admin.page.locator('.recovery-print-root').count()).toBe(0)
  })

  it('from My account after regenerating: the sheet holds the new codes', async () => {
    const { admin, secret } = await firstRunAdmin(world)
    await admin.goTo('My account')
    await admin.page.getByRole('button', { name: 'Regenerate recovery codes', exact: true }).click()
    const dialog = admin.page.getByRole('dialog')
    await dialog.getByLabel('Authentication code').fill(totpCode(secret, 1))
    await dialog.getByRole('button', { name: 'Regenerate', exact: true }).click()
    const list = admin.page.getByRole('list', { name: 'Recovery codes' })
    await list.waitFor()
    const codes = (await list.getByRole('listitem').allInnerTexts()).map((code) => code.trim())
    expect(codes).toHaveLength(10)
    await stubPrint(admin.page)
    await admin.page.getByRole('button', { name: 'Print', exact: true }).click()
    expect(await printCalls(admin.page)).toBe(1)
    await expectOnlyTheSheet(admin.page, ADMIN, codes)
  })
})
