#!/usr/bin/env node
// The screenshots of issue 13's 900 px layout and keyboard (section 3), at the
// desktop window's minimum width, on a fresh directory of its own: the Users
// list with every column whole (Role reads "Administrator", not "Admi…"; each
// email whole, under its name, as the Email column is dropped at this width), a row
// focused with the arrow keys, a user's details, and their Security section
// reached by scrolling down only. Run by `npm run screenshots`, or alone:
// node scripts/test-browser/narrow-shots.mjs [--out DIR].
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { launchChromium, startPreview } from './preview.mjs'
import { PASSWORD, code, decodeQr } from './shots-kit.mjs'

const PEOPLE = [
  ['Maria Garcia', 'maria.garcia@example.com', 'user'],
  ['Tom Jones', 'tom.jones@example.com', 'user'],
  ['Priya Patel', 'priya.patel@example.com', 'admin'],
  ['Lukas Becker', 'lukas.becker@example.com', 'user'],
  ['Kwame Mensah', 'kwame.mensah@example.com', 'user'],
  ['Amelia Marquardt', 'amelia.marquardt@lab.example.org', 'user'],
  ['Yusuf Aaron', 'aaron.christodoulopoulos@research.lab.org', 'user']
]

/** `page`: an administrator's page, signed in, on a directory with Maria Garcia and an administrator. */
export async function shootNarrow({ page, shot, user = 'Maria Garcia' }) {
  await page.setViewportSize({ width: 900, height: 700 })
  await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).click()
  await page.getByRole('table').getByRole('button', { name: user, exact: true }).waitFor()
  await shot(page, '90-users-900')

  // The arrow keys move between rows: the third row focused.
  await page.getByRole('region', { name: /^Users list/ }).focus()
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown')
  await shot(page, '91-users-900-focused-row')

  await page.getByRole('table').getByRole('button', { name: user, exact: true }).click()
  await page.getByRole('region', { name: 'Security' }).waitFor()
  await shot(page, '92-user-details-900')
  await page.getByRole('region', { name: 'Security' }).getByRole('button', { name: 'Save', exact: true }).scrollIntoViewIfNeeded()
  await shot(page, '93-user-security-900')
}

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-narrow-shots-'))
  const dbPath = join(dir, 'demo.db')
  const cli = (...args) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], { input: PASSWORD, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`)
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
    const secret = decodeQr(await qr.screenshot())
    await page.getByLabel('Authentication code').fill(code(secret))
    await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await page.getByLabel('I have saved my recovery codes').check()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    for (const [name, email, role] of PEOPLE) cli('user', 'add', '--name', name, '--email', email, '--role', role, '--password-stdin')
    await page.reload()
    await page.getByRole('heading', { name: 'Users' }).waitFor()
    const shot = async (p, name) => {
      await p.waitForLoadState('networkidle')
      // Let transitions and focus rings settle.
      await p.waitForTimeout(150)
      await p.screenshot({ path: join(out, `${name}.png`) })
      console.log(join(out, `${name}.png`))
    }
    await shootNarrow({ page, shot })
  } finally {
    await browser.close()
    child.kill('SIGINT')
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
