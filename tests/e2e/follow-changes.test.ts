// Screens that follow changes made elsewhere: the command line writes to the
// database the preview has open, and the screens show it within seconds
// without a reload, keeping the scroll position and an unsaved edit; a screen
// with nothing changing does not fetch again and again.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'

/** How soon a change made elsewhere must show (the screens ask every 1.5 s). */
const FOLLOW_MS = 3_000

let world: World
worldForEachTest((started) => (world = started))

function cli(args: string[], stdin?: string): void {
  const result = world.preview.cli(args, stdin)
  if (result.code !== 0) throw new Error(`twofa-admin ${args.join(' ')} failed: ${result.stderr}`)
}

/** Counts the calls each open page makes to the HTTP bridge, by method. */
function countCalls(page: Page): Map<string, number> {
  const counts = new Map<string, number>()
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (path.startsWith('/api/')) counts.set(path.slice(5), (counts.get(path.slice(5)) ?? 0) + 1)
  })
  return counts
}

const usersScroll = (admin: AppPage) => admin.page.locator('.users-scroll')
const toolbarCount = (admin: AppPage) => admin.page.locator('.toolbar-count')

describe('screens follow changes made elsewhere', () => {
  it('users the command line adds appear in the scrolled Users list within 3 s, the scroll position and an unsaved edit kept', async () => {
    const { admin } = await firstRunAdmin(world)
    world.addUser(MARIA)
    // Already a change made elsewhere: the list follows it without a reload.
    await admin.row(MARIA.email).waitFor({ timeout: FOLLOW_MS })
    cli(['seed-demo', '--users', '300', '--force'])
    await toolbarCount(admin).filter({ hasText: '302 users' }).waitFor({ timeout: FOLLOW_MS })

    // A second tab of the same admin has Maria open, with a new name typed and not saved.
    const details = new AppPage(await admin.page.context().newPage())
    await details.open(world.preview.url)
    await details.page.getByLabel('Search').fill('maria@example.com')
    await details.openUser(MARIA.name)
    const nameField = details.page.getByRole('form', { name: 'Profile' }).getByLabel('Name', { exact: true })
    await nameField.fill('Maria García-López')
    expect(await details.enforceCheckbox().isChecked()).toBe(false)

    // The list is scrolled to about row 150 of 302.
    await usersScroll(admin).evaluate((element) => (element.scrollTop = 150 * 44))
    await admin.page.locator('.table-footer').filter({ hasText: /^Rows 151–/ }).waitFor()
    await admin.page.locator('tr[aria-rowindex="152"] .col-name button').waitFor()
    const topName = await admin.page.locator('tr[aria-rowindex="152"] .col-name button').innerText()
    const scrollTop = await usersScroll(admin).evaluate((element) => element.scrollTop)

    // Two users whose names sort just after the row at the top, and Maria's 2FA enforced, all by the command line.
    const added = [`${topName} Added`, `${topName} Added too`]
    for (const [index, name] of added.entries()) {
      cli(['user', 'add', '--name', name, '--email', `added${index}@example.com`, '--password-stdin'], 'added user password 2026')
    }
    cli(['user', 'enforce', MARIA.email])
    const written = Date.now()

    await admin.row('added0@example.com').waitFor({ timeout: FOLLOW_MS })
    await admin.row('added1@example.com').waitFor({ timeout: FOLLOW_MS })
    await toolbarCount(admin).filter({ hasText: '304 users' }).waitFor({ timeout: FOLLOW_MS })
    expect(Date.now() - written).toBeLessThan(FOLLOW_MS)
    expect(await usersScroll(admin).evaluate((element) => element.scrollTop)).toBe(scrollTop)
    await admin.page.locator('.table-footer').filter({ hasText: /^Rows 151–\d+ of 304 users/ }).waitFor()

    // The details follow too: the enforcement shows, and the name typed is still there, unsaved.
    await details.page.getByRole('heading', { name: MARIA.name }).getByRole('img', { name: '2FA enforced, activation pending' }).waitFor({ timeout: FOLLOW_MS })
    expect(await details.enforceCheckbox().isChecked()).toBe(true)
    expect(await nameField.inputValue()).toBe('Maria García-López')
    expect(await details.page.getByRole('button', { name: 'Save profile' }).isEnabled()).toBe(true)

    mkdirSync('/tmp/shots', { recursive: true })
    await admin.page.screenshot({ path: '/tmp/shots/users-after-refresh.png' })
    await details.page.screenshot({ path: '/tmp/shots/user-details-after-refresh.png' })
  })

  it('an idle screen does not fetch again: only the change stamp is asked for, about every 1.5 s', async () => {
    const { admin } = await firstRunAdmin(world)
    cli(['seed-demo', '--users', '300', '--force'])
    await toolbarCount(admin).filter({ hasText: '301 users' }).waitFor({ timeout: FOLLOW_MS })
    const calls = countCalls(admin.page)

    for (const screen of ['Users', 'Audit log', 'Security', 'My account'] as const) {
      await admin.goTo(screen)
      // Settle: the audit log's first look verifies the chain and moves its verification mark, and the Security
      // page's first look may write today's distribution: each a write, seen once. Quiet is two seconds in which
      // nothing but the stamp was asked for (on a slow machine that may take a few tries; at most six).
      for (let tries = 0; ; tries++) {
        calls.clear()
        await admin.page.waitForTimeout(2_000)
        if ([...calls.keys()].every((method) => method === 'getChangeStamp')) break
        expect(tries, `${screen} never went quiet: ${JSON.stringify(Object.fromEntries(calls))}`).toBeLessThan(6)
      }
      calls.clear()
      await admin.page.waitForTimeout(6_000)
      const asked = Object.fromEntries(calls)
      expect(asked, screen).toEqual({ getChangeStamp: expect.any(Number) as number })
      // Every 1.5 s after the last answer: 4 in 6 s, fewer when the answers are slow, never more often.
      expect(asked.getChangeStamp, screen).toBeGreaterThanOrEqual(2)
      expect(asked.getChangeStamp, screen).toBeLessThanOrEqual(5)
    }
  })

  it('the Security counts and the audit log follow a change made elsewhere without a reload', async () => {
    const { admin } = await firstRunAdmin(world)
    await admin.goTo('Security')
    await admin.page.getByText('The current distribution of 2FA among 1 user.').waitFor()
    world.addUser(MARIA)
    await admin.page.getByText('The current distribution of 2FA among 2 users.').waitFor({ timeout: FOLLOW_MS })

    await admin.goTo('Audit log')
    await admin.page.getByRole('cell', { name: MARIA.email }).first().waitFor()
    cli(['user', 'enforce', MARIA.email])
    await admin.page.getByRole('row').filter({ hasText: MARIA.email }).filter({ hasText: /enforce/i }).first().waitFor({ timeout: FOLLOW_MS })
  })
})
