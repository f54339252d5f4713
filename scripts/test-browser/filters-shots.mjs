#!/usr/bin/env node
// The screenshots of issue 13, finding the right people: the Users table's
// row of filters (role, enforced by, locked, disabled, source, few recovery
// codes left) in use, the Columns menu, and a list sorted by an optional
// column, on a fresh demo directory of its own. Run by
// `npm run screenshots`, or alone: node scripts/test-browser/filters-shots.mjs [--out DIR].
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { launchChromium, startPreview } from './preview.mjs'
import { PASSWORD, code, decodeQr } from './shots-kit.mjs'

/** `page`: an administrator's page on the Users screen of a seeded directory. */
export async function shootFilters({ page, shot, prefix = '' }) {
  const name = (n) => `${prefix}${n}`
  const count = page.locator('.toolbar-count')
  await page.getByLabel('Search').fill('')
  await page.getByLabel('Enforced by').selectOption({ label: 'Enforced individually' })
  await page.getByLabel('Disabled', { exact: true }).selectOption({ label: 'Not disabled' })
  await count.filter({ hasText: /match$/ }).waitFor()
  await shot(page, name('95-users-filter-row'))
  await page.getByRole('button', { name: 'Clear filters' }).or(page.getByLabel('Enforced by')).first().waitFor()
  await page.getByLabel('Enforced by').selectOption({ label: 'All' })
  await page.getByLabel('Disabled', { exact: true }).selectOption({ label: 'All' })
  await count.filter({ hasText: /users$/ }).waitFor()

  // The Columns menu, open, with two time columns added.
  const columns = page.getByRole('button', { name: /^Columns/ })
  await columns.click()
  const panel = page.getByRole('group', { name: 'Show columns' })
  await panel.getByLabel('Last 2FA login').check()
  await panel.getByLabel('Active since').check()
  await page.locator('th.col-last-2fa').waitFor()
  await shot(page, name('95-users-columns-menu'))
  await page.keyboard.press('Escape')

  // Sorted by the last 2FA login, newest first: those who never signed in with 2FA come last.
  const header = page.getByRole('columnheader', { name: 'Last 2FA login' }).getByRole('button')
  await header.click()
  await page.locator('th[aria-sort="ascending"].col-last-2fa').waitFor()
  await header.click()
  await page.locator('th[aria-sort="descending"].col-last-2fa').waitFor()
  await count.filter({ hasText: /users$/ }).waitFor()
  await shot(page, name('95-users-sorted-by-last-2fa-login'))
}

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-filter-shots-'))
  const dbPath = join(dir, 'demo.db')
  const cli = (...args) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], { cwd: ROOT, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr || result.stdout}`)
    return result.stdout
  }
  const shot = async (page, file) => {
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(150)
    await page.screenshot({ path: join(out, `${file}.png`) })
    console.log(join(out, `${file}.png`))
  }
  const { url, child } = await startPreview(dbPath)
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    await page.goto(url)
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace')
    await page.getByLabel('Email', { exact: true }).fill('ada@example.com')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: /create/i }).click()
    const qr = page.getByAltText('QR code for your authenticator app')
    await qr.waitFor()
    await page.getByLabel('Authentication code').fill(code(decodeQr(await qr.screenshot())))
    await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await page.getByLabel('I have saved my recovery codes').check()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    cli('seed-demo', '--users', '2000', '--force')
    await page.reload()
    await page.locator('.toolbar-count').filter({ hasText: '2,001 users' }).waitFor()
    await shootFilters({ page, shot })
  } finally {
    await browser.close()
    child.kill('SIGINT')
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`Screenshots failed: ${error.message}`)
    process.exit(1)
  })
}
