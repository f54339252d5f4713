#!/usr/bin/env node
// The screenshots of issue 13, section 1 (bulk actions) and Copy instructions:
// rows ticked in the Users table, every user matching a filter selected, the
// confirmation's exact counts, what the change did, and the instructions
// copied (from the selection and from Account > Security). Standalone, on a
// fresh demo directory, after `npm run build`:
//   node scripts/test-browser/bulk-shots.mjs [--out DIR]
// (default docs/screenshots/). Driven as a person would; codes computed as an authenticator app does.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { launchChromium, startPreview } from './preview.mjs'
import { PASSWORD, enrollOnScreen } from './shots-kit.mjs'

/** `page`: the administrator's, signed in on the Users screen of a seeded directory. */
export async function shootBulk({ page, shot }) {
  const table = page.getByRole('table', { name: 'Users' })
  const rows = table.locator('tbody tr[data-user-id]')
  const bar = page.getByRole('toolbar', { name: 'Selected users' })
  await rows.first().waitFor()
  // Rows ticked: a click, then Shift+click three rows further.
  await rows.nth(1).getByRole('checkbox').click()
  await rows.nth(4).getByRole('checkbox').click({ modifiers: ['Shift'] })
  await rows.nth(6).getByRole('checkbox').click()
  await bar.getByText('5 selected').waitFor()
  await shot(page, '70-users-selection')

  // Every user the filter matches, across pages.
  await bar.getByRole('button', { name: 'Clear', exact: true }).click()
  await page.getByLabel('2FA status').selectOption({ label: '2FA not active' })
  await page.getByText(/^Rows 1–/).waitFor()
  await table.getByRole('checkbox', { name: 'Select the users shown' }).check()
  await bar.getByRole('button', { name: /^Select all .* matching this filter$/ }).click()
  await bar.getByText('(all matching this filter)').waitFor()
  await shot(page, '71-users-select-all-matching')

  await bar.getByRole('button', { name: 'Enforce 2FA activation', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: /^Enforce 2FA activation for / })
  await dialog.locator('.bulk-summary').waitFor()
  await shot(page, '72-bulk-confirm')
  await dialog.getByRole('button', { name: 'Enforce 2FA activation', exact: true }).click()
  await dialog.waitFor({ state: 'hidden', timeout: 30_000 })
  await page.locator('.message-success').filter({ hasText: /\S/ }).waitFor()
  await page.getByLabel('2FA status').selectOption({ label: 'All' })
  await rows.first().waitFor()
  await shot(page, '73-bulk-result')

  // Copy instructions for two users who now have to activate 2FA, then for all users from Account > Security.
  const pending = rows.filter({ has: page.getByRole('img', { name: '2FA enforced, activation pending', exact: true }) })
  await pending.nth(0).getByRole('checkbox').click()
  await pending.nth(1).getByRole('checkbox').click()
  await bar.getByRole('button', { name: 'Copy instructions', exact: true }).click()
  await page.getByRole('status').filter({ hasText: 'Instructions copied' }).waitFor()
  await shot(page, '74-copy-instructions')
  await page.getByRole('navigation').getByRole('button', { name: 'Security', exact: true }).click()
  const section = page.getByRole('region', { name: 'Tell your users' })
  await section.getByRole('button', { name: 'Copy instructions', exact: true }).click()
  await section.getByRole('status').filter({ hasText: 'Instructions copied' }).waitFor()
  await section.getByText('Show the text').click()
  await section.scrollIntoViewIfNeeded()
  await shot(page, '74b-security-copy-instructions')
}

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-bulk-shots-'))
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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin })
    const page = await context.newPage()
    await page.goto(url)
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace')
    await page.getByLabel('Email', { exact: true }).fill('ada@example.com')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: /create/i }).click()
    await enrollOnScreen(page)
    cli('seed-demo', '--users', '400', '--force')
    await page.reload()
    await shootBulk({ page, shot })
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
