#!/usr/bin/env node
// The screenshots of issue 13's accessibility fixes (defect 4.12): the 2FA
// distribution bar with a legible label on its orange segment, and disabled
// buttons (Save profile, Save, Reset 2FA) that look disabled and stay
// readable, on a fresh directory of its own. Run by `npm run screenshots`, or
// alone: node scripts/test-browser/a11y-shots.mjs [--out DIR].
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { launchChromium, startPreview } from './preview.mjs'
import { PASSWORD, code, decodeQr } from './shots-kit.mjs'

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-a11y-shots-'))
  const dbPath = join(dir, 'demo.db')
  const cli = (args, input = '') => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], { cwd: ROOT, input, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr || result.stdout}`)
    return result.stdout
  }
  const shot = async (target, file) => {
    await target.page?.().waitForLoadState('networkidle')
    await new Promise((done) => setTimeout(done, 150))
    await target.screenshot({ path: join(out, `${file}.png`) })
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
    await page.getByRole('heading', { name: 'Users' }).waitFor()

    // Two pending and one not active beside the administrator: every segment wide enough for its label.
    for (const [name, email] of [
      ['Maria Garcia', 'maria@example.com'],
      ['Tom Jones', 'tom@example.com'],
      ['Lena Berg', 'lena@example.com']
    ]) {
      cli(['user', 'add', '--name', name, '--email', email, '--password-stdin'], PASSWORD)
    }
    cli(['user', 'enforce', 'maria@example.com'])
    cli(['user', 'enforce', 'tom@example.com'])

    await page.getByRole('navigation').getByRole('button', { name: 'Security', exact: true }).click()
    const distribution = page.getByRole('region', { name: '2FA among your users' })
    await distribution.getByRole('list', { name: /^2FA distribution among / }).waitFor()
    await shot(page, '97a-security-distribution-contrast')
    await shot(distribution, '97b-distribution-bar-contrast')

    // Lena's details: Save profile and Save have nothing to save, Reset 2FA nothing to reset.
    await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).click()
    await page.getByRole('table').getByRole('button', { name: 'Lena Berg', exact: true }).click()
    await page.getByRole('heading', { name: 'Security' }).waitFor()
    await shot(page, '97c-disabled-buttons')
    await shot(page.getByRole('button', { name: 'Save profile', exact: true }).locator('xpath=ancestor::*[contains(@class, "card")][1]'), '97d-disabled-save-profile')
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
