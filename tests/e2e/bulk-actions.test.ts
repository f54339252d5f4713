// Bulk actions on the Users table (issue 13) in headless Chromium against the
// real browser preview: rows ticked by click, Shift+click and Space; "Select
// all N matching this filter" across pages of a seeded directory; the
// confirmation's exact counts (the core's, the same the command line's dry run
// gives); the change, its audit entries and the counts after; the caller (the
// last active administrator here) never disabled by a bulk disable; Copy
// instructions on the clipboard, from the selection and from Account > Security.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import { ADMIN, firstRunAdmin, MARIA, TOM, World, worldForEachTest } from './support/fixtures'
import { expectNoViolations } from './support/axe'

let world: World
worldForEachTest((started) => (world = started))

function cliJson<T>(args: string[]): T {
  const result = world.preview.cli([...args, '--json'])
  if (result.code !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

interface Status {
  total: number
  pending: number
  inactive: number
}

function auditCount(action: string): number {
  return cliJson<unknown[]>(['audit', '--action', action, '--limit', '500']).length
}

function usersTable(admin: AppPage): Locator {
  return admin.page.getByRole('table', { name: 'Users' })
}

/** The body rows shown, in order. */
function bodyRows(admin: AppPage): Locator {
  return usersTable(admin).locator('tbody tr[data-user-id]')
}

function bar(admin: AppPage): Locator {
  return admin.page.getByRole('toolbar', { name: 'Selected users' })
}

async function seed(admin: AppPage, users: number): Promise<void> {
  const seeded = world.preview.cli(['seed-demo', '--users', String(users), '--force'])
  expect(seeded.code, seeded.stderr).toBe(0)
  await admin.page.reload()
  await bodyRows(admin).first().waitFor()
}

describe('bulk actions on the Users table', () => {
  it('ticks rows by click, Shift+click and Space, confirms with the exact counts, and applies them with one audit entry each', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    await seed(admin, 120)
    const page = admin.page
    const rows = bodyRows(admin)
    // A click on a row's checkbox (named after the user), then Shift+click four rows further: five ticked.
    await rows.nth(0).getByRole('checkbox').click()
    await bar(admin).getByText('1 selected').waitFor()
    await rows.nth(4).getByRole('checkbox').click({ modifiers: ['Shift'] })
    await bar(admin).getByText('5 selected').waitFor()
    for (let i = 0; i < 5; i++) expect(await rows.nth(i).getByRole('checkbox').isChecked()).toBe(true)
    expect(await rows.nth(5).getByRole('checkbox').isChecked()).toBe(false)
    // Space on the focused row: the keyboard walks to the sixth row and ticks it.
    await rows.nth(4).locator('td.col-email').click()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Space')
    await bar(admin).getByText('6 selected').waitFor()
    expect(await rows.nth(5).getByRole('checkbox').isChecked()).toBe(true)
    // Unticked again with Space, then ticked again.
    await page.keyboard.press('Space')
    await bar(admin).getByText('5 selected').waitFor()
    await page.keyboard.press('Space')
    await bar(admin).getByText('6 selected').waitFor()

    // The emails of the six, for the command line's dry run of the same change.
    const emails: string[] = []
    for (let i = 0; i < 6; i++) emails.push((await rows.nth(i).locator('td.col-email').innerText()).trim())
    const list = join(world.preview.dbPath, '..', 'six.txt')
    writeFileSync(list, `${emails.join('\n')}\n`)
    const expected = cliJson<{ summary: string; willChange: number }>(['users', 'enforce', '--emails-file', list, '--dry-run'])

    const before = auditCount('enforcement.user-changed')
    await bar(admin).getByRole('button', { name: 'Enforce 2FA activation' }).click()
    const dialog = page.getByRole('dialog', { name: 'Enforce 2FA activation for 6 selected users?' })
    await dialog.getByText(expected.summary, { exact: true }).waitFor()
    await expectNoViolations(page, 'the bulk confirmation with the selection bar behind it')
    await dialog.getByRole('button', { name: 'Enforce 2FA activation' }).click()
    await dialog.waitFor({ state: 'hidden' })
    // What was done, in the core's words (past tense of the confirmation's sentence).
    await admin.successMessage().filter({ hasText: /^\d+ users? (now ha(s|ve) to activate 2FA at their next login|with 2FA active or already enforced (was|were) enforced individually)/ }).waitFor()
    // The selection is gone; the audit log has one entry per changed user.
    expect(await bar(admin).count()).toBe(0)
    expect(auditCount('enforcement.user-changed') - before).toBe(expected.willChange)
    // Each of the six is enforced individually now, but administrators, who always are.
    for (const email of emails) {
      const user = cliJson<{ enforcement: string; role: string }>(['user', 'show', email])
      expect(user.role === 'admin' ? 'admin' : user.enforcement, email).toBe(user.role === 'admin' ? 'admin' : 'enforced')
    }
  })

  it('selects all N matching a filter across pages, less a row unticked, and the counts stay exact', async () => {
    const { admin } = await firstRunAdmin(world)
    await seed(admin, 400)
    const page = admin.page
    await page.getByLabel('2FA status').selectOption({ label: '2FA not active' })
    const inactive = cliJson<Status>(['status']).inactive
    expect(inactive).toBeGreaterThan(100) // more than one block of rows: the rest are not even loaded
    await page.getByText(`Rows 1–`, { exact: false }).waitFor()
    await usersTable(admin).getByRole('checkbox', { name: 'Select the users shown' }).check()
    await bar(admin).getByRole('button', { name: `Select all ${inactive.toLocaleString('en-US')} matching this filter` }).click()
    await bar(admin).getByText(`${inactive.toLocaleString('en-US')} selected`).waitFor()
    // One row unticked: the selection is the filter less that row.
    const kept = bodyRows(admin).first()
    const keptEmail = (await kept.locator('td.col-email').innerText()).trim()
    await kept.getByRole('checkbox').uncheck()
    const n = inactive - 1
    await bar(admin).getByText(`${n.toLocaleString('en-US')} selected`).waitFor()

    await bar(admin).getByRole('button', { name: 'Enforce 2FA activation' }).click()
    const dialog = page.getByRole('dialog', { name: `Enforce 2FA activation for ${n.toLocaleString('en-US')} selected users?` })
    await dialog.getByText(`${n.toLocaleString('en-US')} users will have to activate 2FA at their next login.`, { exact: true }).waitFor()
    await dialog.getByRole('button', { name: 'Enforce 2FA activation' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await admin.successMessage().filter({ hasText: `${n.toLocaleString('en-US')} users now have to activate 2FA at their next login.` }).waitFor()
    const after = cliJson<Status>(['status'])
    expect(after.inactive).toBe(1)
    expect(cliJson<{ status: string }>(['user', 'show', keptEmail]).status).toBe('inactive')
    // The list follows: one user left in "Not active".
    await page.getByText('1 user match', { exact: true }).waitFor()
    const verify = world.preview.cli(['audit', '--verify'])
    expect(verify.code, verify.stdout).toBe(0)
  })

  it('a bulk disable leaves the administrator doing it enabled, with the count saying so', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    await usersTable(admin).getByRole('checkbox', { name: 'Select the users shown' }).check()
    await bar(admin).getByText('3 selected').waitFor()
    await bar(admin).getByRole('button', { name: 'Disable' }).click()
    const dialog = page.getByRole('dialog', { name: 'Disable 3 selected users?' })
    await dialog.getByText('2 users will be disabled and signed out; your own account is left out: you cannot disable yourself.', { exact: true }).waitFor()
    await dialog.getByRole('button', { name: 'Disable' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await admin.successMessage().filter({ hasText: '2 users were disabled and signed out' }).waitFor()
    expect(cliJson<{ disabled: boolean }>(['user', 'show', ADMIN.email]).disabled).toBe(false)
    expect(cliJson<{ disabled: boolean }>(['user', 'show', MARIA.email]).disabled).toBe(true)
    // Still signed in and administering.
    await admin.row(MARIA.email).getByText('Disabled', { exact: true }).waitFor()
  })

  it('asks "Confirm it\'s you" before a bulk change once the last password or code is old, then applies it', async () => {
    const WINDOW_MS = 2_000
    await world.stop()
    world = await World.start({ env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(WINDOW_MS) } })
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    await admin.row(MARIA.email).getByRole('checkbox').check()
    await admin.row(TOM.email).getByRole('checkbox').check()
    await admin.page.waitForTimeout(WINDOW_MS + 500)
    await bar(admin).getByRole('button', { name: 'Exempt' }).click()
    const dialog = admin.page.getByRole('dialog', { name: 'Exempt 2 selected users from 2FA enforcement?' })
    await dialog.getByText('2 users will be exempted from 2FA enforcement.', { exact: true }).waitFor()
    await dialog.getByRole('button', { name: 'Exempt' }).click()
    await admin.confirmItsYou({ password: ADMIN.password })
    await admin.successMessage().filter({ hasText: '2 users were exempted from 2FA enforcement.' }).waitFor()
    expect(cliJson<{ enforcement: string }>(['user', 'show', TOM.email]).enforcement).toBe('exempt')
  })

  it('Copy instructions puts the text for the selection on the clipboard, and for all users from Account > Security', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.preview.url })
    expect(world.preview.cli(['enforce-all', '--grace-days', '10']).code).toBe(0)
    await admin.row(MARIA.email).getByRole('checkbox').check()
    await bar(admin).getByRole('button', { name: 'Copy instructions' }).click()
    await page.getByRole('status').filter({ hasText: 'Instructions copied for 1 user' }).waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toContain('Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis or 1Password')
    expect(copied).toMatch(/When: activate 2FA by \d{1,2} \w+ \d{4} \(UTC\)/)
    expect(copied).toContain('How to sign in:')

    await admin.goTo('Security')
    await page.getByRole('region', { name: 'Tell your users' }).getByRole('button', { name: 'Copy instructions' }).click()
    await page.getByRole('status').filter({ hasText: 'Instructions copied for 3 users' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(copied)
  })
})
