#!/usr/bin/env node
// The screenshots of issue 12, parts 3 and 4: User details with a temporary
// access pass (the dialog, the pass shown once, the pass active), the screen
// after a sign-in with a pass (first password, then 2FA), and an enrollment at
// the admin's desk (prove who you are, the QR code, the recovery codes, the
// admin's unlock). Standalone, on a fresh database, after `npm run build`:
//   node scripts/test-browser/temporary-pass-shots.mjs [--out DIR]
// (default docs/screenshots/). Driven as a person would: the QR code is read from
// the screen, codes computed as an authenticator app does.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { shootGracePeriod } from './grace-shots.mjs'
import { launchChromium, startPreview } from './preview.mjs'
import { PASSWORD, code, decodeQr } from './shots-kit.mjs'

/** Reads the QR code off the screen, enters the code, saves the recovery codes; `shot` before each step if given. */
async function enrollOnScreen(page, shot, names = {}) {
  const qr = page.getByAltText('QR code for your authenticator app')
  await qr.waitFor()
  if (names.qr) await shot(page, names.qr)
  const secret = decodeQr(await qr.screenshot())
  await page.getByLabel('Authentication code').fill(code(secret))
  await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
  await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
  await page.getByLabel('I have saved my recovery codes').check()
  if (names.codes) await shot(page, names.codes)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  return secret
}

/**
 * `page`: an administrator's page of the preview (at `url`), signed in; `password` is the admin's; `browser` opens the users' own windows; `shot(page, name, { fullPage })`
 * takes one. Needs the users Anh Nguyen (imported, no password) and Maria Garcia (password PASSWORD).
 */
export async function shootTemporaryPass({ page, browser, url, password, shot, prefix = '' }) {
  const name = (n) => `${prefix}${n}`
  const openUser = async (who, email) => {
    await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).click()
    await page.getByLabel('Search').fill(email)
    await page.getByRole('table').getByRole('button', { name: who, exact: true }).click()
    await page.getByRole('heading', { name: 'Security' }).waitFor()
  }
  const security = page.getByRole('region', { name: 'Security' })

  // An imported user with no password yet: a pass onboards her.
  await openUser('Anh Nguyen', 'anh.nguyen@example.com')
  await security.getByRole('button', { name: 'Issue temporary access pass', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: /^Issue a temporary access pass for / })
  await dialog.getByLabel('Valid for').selectOption({ label: '1 day' })
  await shot(page, name('60-temporary-pass-issue'))
  await dialog.getByRole('button', { name: 'Issue pass', exact: true }).click()
  const reauth = page.getByRole('dialog', { name: "Confirm it's you" })
  const shown = page.getByRole('dialog', { name: /^Temporary access pass for / })
  await reauth.or(shown).first().waitFor({ timeout: 30_000 })
  if (await reauth.isVisible()) {
    if (!(await reauth.getByLabel('Your password').isVisible())) await reauth.getByRole('button', { name: 'Use your password instead' }).click()
    await reauth.getByLabel('Your password').fill(password)
    await reauth.getByRole('button', { name: 'Confirm', exact: true }).click()
  }
  await shown.waitFor({ timeout: 30_000 })
  await shot(page, name('61-temporary-pass-shown-once'))
  const pass = (await shown.getByLabel('Temporary access pass').innerText()).trim()
  await shown.getByRole('button', { name: 'Done', exact: true }).click()
  await security.getByText(/^Active until/).waitFor()
  await shot(page, name('62-user-details-temporary-pass-active'), { fullPage: true })

  // Anh signs in with the pass in the Password field, sets a password, activates 2FA.
  const anhContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const anh = await anhContext.newPage()
  await anh.goto(url)
  await anh.getByLabel('Email', { exact: true }).fill('anh.nguyen@example.com')
  await anh.getByLabel('Password', { exact: true }).fill(pass)
  await anh.getByRole('button', { name: 'Log in', exact: true }).click()
  await anh.getByRole('heading', { name: 'Finish setting up your account' }).waitFor()
  await anh.getByLabel('New password').fill('anh chooses a long password 7')
  await anh.getByLabel('Confirm password').fill('anh chooses a long password 7')
  await anh.waitForTimeout(400)
  await shot(anh, name('63-temporary-pass-set-password'))
  await anh.getByRole('button', { name: 'Set password', exact: true }).click()
  await enrollOnScreen(anh, shot, { qr: name('64-temporary-pass-activate-2fa') })
  await anh.getByRole('heading', { name: 'My account' }).waitFor()
  await anhContext.close()

  // Enroll in person: Maria at the admin's desk.
  await openUser('Maria Garcia', 'maria.garcia@example.com')
  await security.getByRole('button', { name: 'Enroll in person', exact: true }).click()
  await reauth.or(page.getByRole('heading', { name: 'Enroll in person' })).first().waitFor({ timeout: 30_000 })
  if (await reauth.isVisible()) {
    if (!(await reauth.getByLabel('Your password').isVisible())) await reauth.getByRole('button', { name: 'Use your password instead' }).click()
    await reauth.getByLabel('Your password').fill(password)
    await reauth.getByRole('button', { name: 'Confirm', exact: true }).click()
  }
  await page.getByRole('heading', { name: 'Enroll in person' }).waitFor()
  await page.getByLabel('Your password or temporary access pass').fill(PASSWORD)
  await shot(page, name('65-enroll-in-person-identify'))
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await enrollOnScreen(page, shot, { qr: name('66-enroll-in-person-qr'), codes: name('67-enroll-in-person-recovery-codes') })
  const unlock = page.getByRole('form', { name: 'Unlock' })
  await unlock.waitFor()
  await unlock.getByLabel('Administrator password').fill('maria tries her own password')
  await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
  await page.getByRole('alert').filter({ hasText: /not the password of/ }).waitFor()
  await shot(page, name('68-enroll-in-person-unlock'))
  await unlock.getByLabel('Administrator password').fill(password)
  await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
  await page.getByRole('heading', { name: 'Security' }).waitFor()
  await page.getByRole('heading', { name: 'Maria Garcia' }).waitFor()
  await shot(page, name('69-enroll-in-person-back'), { fullPage: true })
}

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-pass-shots-'))
  const dbPath = join(dir, 'demo.db')
  const cli = (...args) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], {
      cwd: ROOT,
      input: args.includes('--password-stdin') ? PASSWORD : undefined,
      encoding: 'utf8'
    })
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr || result.stdout}`)
    return result.stdout
  }
  const shot = async (page, file, { fullPage = false } = {}) => {
    // The shell scrolls inside its main area, which a full-page screenshot does not see: a taller window does.
    const viewport = page.viewportSize()
    if (fullPage && viewport) await page.setViewportSize({ width: viewport.width, height: 1080 })
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(150)
    await page.screenshot({ path: join(out, `${file}.png`) })
    if (fullPage && viewport) await page.setViewportSize(viewport)
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
    await enrollOnScreen(page, shot)
    for (const [who, email] of [['Maria Garcia', 'maria.garcia@example.com'], ['Tom Jones', 'tom.jones@example.com']]) cli('user', 'add', '--name', who, '--email', email, '--password-stdin')
    const csv = join(dir, 'new-hires.csv')
    writeFileSync(csv, 'email,name\nanh.nguyen@example.com,Anh Nguyen\n')
    cli('import', 'users', csv)
    await page.reload()
    await page.getByRole('row').filter({ hasText: 'anh.nguyen@example.com' }).waitFor()
    await shootTemporaryPass({ page, browser, url, password: PASSWORD, shot })
    await shootGracePeriod({ page, browser, url, shot, cli: (...args) => cli(...args), userPassword: PASSWORD })
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
