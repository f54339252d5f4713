#!/usr/bin/env node
// `npm run screenshots [-- --out DIR]`: a PNG of every screen, on seeded demo
// data, into docs/screenshots/ (or DIR). Drives the real browser preview in Debian's Chromium the
// way a person would (the QR code is read from the screen, codes computed as
// an authenticator app does).
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { shootDirectorySync } from './test-browser/directory-sync-shots.mjs'
import { shootGroups } from './test-browser/groups-shots.mjs'
import { shootHistory, shootPrintView } from './test-browser/history-shots.mjs'
import { shootRadiusClients } from './test-browser/radius-shots.mjs'
import { launchChromium, startPreview } from './test-browser/preview.mjs'
import { PASSWORD, code, decodeQr } from './test-browser/shots-kit.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outFlag = process.argv.indexOf('--out')
const OUT = outFlag > 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(ROOT, 'docs', 'screenshots')

function run(command, args, input) {
  const result = spawnSync(command, args, { cwd: ROOT, input, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr || result.stdout}`)
  return result.stdout
}

function build() {
  run(process.execPath, [join(ROOT, 'scripts', 'build-node.mjs'), '--quiet'])
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    run(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])
  }
}

async function shot(page, name) {
  await page.waitForLoadState('networkidle')
  // Let transitions and focus rings settle.
  await page.waitForTimeout(150)
  await shotNow(page, name)
}

/** At once, for a state that lasts only while the screen keeps asking (an export under way). */
async function shotNow(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`) })
  console.log(join(OUT, `${name}.png`))
}

/** Chooses the format beside the screen's Export button and clicks it; resolves to the download. */
async function startExport(page, format) {
  await page.getByLabel('Export format').selectOption({ label: format })
  const download = page.waitForEvent('download', { timeout: 120_000 })
  await page.getByRole('button', { name: 'Export', exact: true }).click()
  return download
}

/** Signs a demo user in through window.api and enrolls them, as their own browser would. */
async function enrollThroughApi(context, url, email) {
  const page = await context.newPage()
  await page.goto(url)
  await page.waitForFunction(() => window.api !== undefined)
  const started = await page.evaluate(
    async ([email, password]) => {
      await window.api.login({ email, password })
      return window.api.startEnrollment({})
    },
    [email, PASSWORD]
  )
  if (!started.ok) throw new Error(`startEnrollment for ${email}: ${started.error.message}`)
  const secret = new URL(started.value.otpauthUri).searchParams.get('secret')
  const done = await page.evaluate((c) => window.api.confirmEnrollment({ code: c }), code(secret))
  if (!done.ok) throw new Error(`confirmEnrollment for ${email}: ${done.error.message}`)
  await page.evaluate(() => window.api.logout({}))
  await page.close()
  return secret
}

async function main() {
  build()
  mkdirSync(OUT, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-shots-'))
  const dbPath = join(dir, 'demo.db')
  const { url, child } = await startPreview(dbPath)
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    await page.goto(url)

    // 1. First run
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace')
    await page.getByLabel('Email', { exact: true }).fill('ada@example.com')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await shot(page, '01-first-run')
    await page.getByRole('button', { name: /create/i }).click()

    // 3. Activate 2FA, then the recovery codes
    const qr = page.getByAltText('QR code for your authenticator app')
    await qr.waitFor()
    await shot(page, '03-activate-2fa')
    const adminSecret = decodeQr(await qr.screenshot())
    await page.getByLabel('Authentication code').fill(code(adminSecret))
    await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
    await page.getByLabel('I have saved my recovery codes').check()
    await shot(page, '04-recovery-codes')
    // What Print puts on paper: the sheet alone (print media).
    await shootPrintView(page, '04b-recovery-codes-printed', shot)
    await page.getByRole('button', { name: 'Continue', exact: true }).click()

    // Demo directory: a realistic mix of statuses.
    const people = [
      ['Maria Garcia', 'maria.garcia@example.com', 'user'],
      ['Tom Jones', 'tom.jones@example.com', 'user'],
      ['Priya Patel', 'priya.patel@example.com', 'admin'],
      ['Lukas Becker', 'lukas.becker@example.com', 'user'],
      ['Chen Wei', 'chen.wei@example.com', 'user'],
      ['Fatima Zahra', 'fatima.zahra@example.com', 'user'],
      ['Olivia Smith', 'olivia.smith@example.com', 'user'],
      ['Kwame Mensah', 'kwame.mensah@example.com', 'user'],
      ['Sofia Rossi', 'sofia.rossi@example.com', 'user'],
      ['Jonas Nilsson', 'jonas.nilsson@example.com', 'user']
    ]
    const cli = (...args) => run(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], args.includes('--password-stdin') ? PASSWORD : undefined)
    for (const [name, email, role] of people) cli('user', 'add', '--name', name, '--email', email, '--role', role, '--password-stdin')
    const helper = await browser.newContext()
    const secrets = {}
    for (const email of ['maria.garcia@example.com', 'priya.patel@example.com', 'chen.wei@example.com', 'sofia.rossi@example.com']) {
      secrets[email] = await enrollThroughApi(helper, url, email)
    }
    cli('user', 'enforce', 'tom.jones@example.com')
    cli('user', 'enforce', 'olivia.smith@example.com')
    cli('user', 'exempt', 'jonas.nilsson@example.com')
    // Lock Kwame's account with ten wrong passwords.
    const locker = await helper.newPage()
    await locker.goto(url)
    await locker.waitForFunction(() => window.api !== undefined)
    await locker.evaluate(async () => {
      for (let i = 0; i < 10; i++) await window.api.login({ email: 'kwame.mensah@example.com', password: 'not the password' })
    })
    await helper.close()

    // 4. Account > Users, with a tooltip open on keyboard focus
    await page.reload()
    await page.getByRole('heading', { name: 'Users' }).waitFor()
    await page.getByRole('row').filter({ hasText: 'kwame.mensah@example.com' }).waitFor()
    await shot(page, '05-users')
    await page.getByRole('row').filter({ hasText: 'tom.jones@example.com' }).getByRole('img', { name: /^2FA / }).focus()
    await page.getByRole('tooltip').first().waitFor()
    await shot(page, '06-users-tooltip')

    // 5. User details with the Security section
    await page.keyboard.press('Escape')
    await page.getByRole('table').getByRole('button', { name: 'Kwame Mensah', exact: true }).click()
    await page.getByRole('heading', { name: 'Security' }).waitFor()
    await shot(page, '07-user-details')
    await page.getByLabel('Enforce 2FA activation').check()
    await page.getByRole('region', { name: 'Security' }).getByRole('button', { name: 'Save', exact: true }).click()
    await page.locator('.message-success').first().waitFor()
    await shot(page, '08-user-details-saved')

    // 5b. A lock only an administrator ends (100 failures in a row, over some 17 hours of locks):
    // staged in the file, as that many failures would leave it.
    const raw = new Database(dbPath)
    raw.prepare('UPDATE users SET failed_attempts = 100, lock_level = 10, locked_until = ? WHERE email = ?').run(Number.MAX_SAFE_INTEGER, 'lukas.becker@example.com')
    raw.close()
    await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).click()
    await page.getByRole('table').getByRole('button', { name: 'Lukas Becker', exact: true }).click()
    await page.getByText(/until an administrator unlocks it/).waitFor()
    await shot(page, '07b-user-details-locked-until-unlocked')

    // 6. Account > Security
    await page.getByRole('navigation').getByRole('button', { name: 'Security', exact: true }).click()
    await page.getByRole('button', { name: 'Enforce 2FA for all users' }).waitFor()
    await shot(page, '09-security')
    await page.getByRole('button', { name: 'Enforce 2FA for all users' }).click()
    await page.getByRole('dialog').waitFor()
    await shot(page, '10-security-confirm')
    await page.getByRole('dialog').getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await page.getByRole('button', { name: 'Revoke enforcement' }).waitFor()
    await shot(page, '11-security-enforced')

    // 8. Audit log
    await page.getByRole('navigation').getByRole('button', { name: 'Audit log', exact: true }).click()
    await page.getByRole('heading', { name: /Audit log/ }).waitFor()
    // A full walk of the chain (a worker thread in the preview), as an admin would start it.
    await page.getByRole('button', { name: 'Verify the whole log' }).click()
    await page.getByText(/^Last fully verified/).waitFor()
    await shot(page, '12-audit-log')
    // Export of the log as the preview hands it over: the browser's download, and the note where it went.
    await (await startExport(page, 'JSON Lines')).path()
    await page.getByText(/^Exported [\d,]+ entries/).waitFor()
    await shot(page, '12b-audit-log-exported')

    // 7. My account, as an enforced user
    const userContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const user = await userContext.newPage()
    await user.goto(url)
    await user.getByLabel('Email', { exact: true }).fill('maria.garcia@example.com')
    await user.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await shot(user, '02-log-in')
    await user.getByRole('button', { name: 'Log in', exact: true }).click()
    await user.getByLabel('Authentication code').waitFor()
    await shot(user, '02b-authentication-code')
    await userContext.close()

    const tomContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const tom = await tomContext.newPage()
    await tom.goto(url)
    await tom.getByLabel('Email', { exact: true }).fill('jonas.nilsson@example.com')
    await tom.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await tom.getByRole('button', { name: 'Log in', exact: true }).click()
    await tom.getByRole('heading', { name: 'My account' }).waitFor()
    await shot(tom, '13-my-account')
    await tomContext.close()

    // An enforced user with active 2FA: Deactivate is refused with the reason.
    const chenContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const chen = await chenContext.newPage()
    await chen.goto(url)
    await chen.getByLabel('Email', { exact: true }).fill('chen.wei@example.com')
    await chen.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await chen.getByRole('button', { name: 'Log in', exact: true }).click()
    await chen.getByLabel('Authentication code').fill(code(secrets['chen.wei@example.com'], 1))
    await chen.getByRole('button', { name: 'Verify', exact: true }).click()
    await chen.getByText(/: you cannot deactivate 2FA\./).waitFor()
    await shot(chen, '14-my-account-enforced')
    await chenContext.close()

    // Export from Users on a large directory: the progress while the worker writes, then the note.
    cli('seed-demo', '--users', '250000', '--force')
    await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).click()
    await page.getByRole('heading', { name: 'Users' }).waitFor()
    await page.getByText(/^250,0\d\d users$/).first().waitFor()
    const usersDownload = startExport(page, 'CSV')
    await page.getByText(/^Exporting [\d,]+ of [\d,]+ users…$/).waitFor()
    await page.waitForTimeout(600)
    await shotNow(page, '15-users-export-progress')
    await (await usersDownload).path()
    await page.getByText(/^Exported [\d,]+ users/).waitFor()
    await shot(page, '16-users-exported')

    // Import users from a CSV file: the picker, the dry run's changes, a file with problems,
    // the progress of a large import, and what it did.
    const dialog = page.getByRole('dialog', { name: 'Import users' })
    const chooseFile = (name, text) => dialog.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })
    await page.getByRole('button', { name: 'Import users', exact: true }).click()
    await dialog.getByLabel('CSV file').waitFor()
    await shot(page, '17-import-choose')
    // As Excel saves it in much of Europe: a byte order mark, semicolons, a quoted field.
    const newHires = [
      '\ufeffemail;name;role;enforce',
      'anh.nguyen@example.com;"Anh ""Annie"" Nguyen";user;yes',
      'diego.fernandez@example.com;Diego Fernández;user;',
      'hana.kobayashi@example.com;Hana Kobayashi;admin;',
      'olivia.smith@example.com;Olivia Smith-Brown;;',
      'samuel.okafor@example.com;Samuel Okafor;user;no',
      'tom.jones@example.com;Tom Jones;user;yes'
    ].join('\r\n')
    await chooseFile('new-hires.csv', newHires)
    await dialog.getByRole('region', { name: 'Changes' }).waitFor()
    await shot(page, '18-import-preview')
    await dialog.getByRole('button', { name: 'Choose another file' }).click()
    const draft = ['email,name,role,enforce', 'anh.nguyen@example,Anh Nguyen,user,yes', 'diego.fernandez@example.com,Diego Fernández,manager,', 'hana.kobayashi@example.com,Hana Kobayashi,admin,no', 'diego.fernandez@example.com,Diego F.,user,'].join('\n')
    await chooseFile('new-hires-draft.csv', draft)
    await dialog.getByRole('region', { name: 'Problems' }).waitFor()
    await shot(page, '19-import-problems')
    await dialog.getByRole('button', { name: 'Choose another file' }).click()
    const firsts = ['Amara', 'Ben', 'Carla', 'Dev', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jamal', 'Kaito', 'Lena', 'Mateo', 'Nora', 'Omar', 'Pia', 'Quentin', 'Rosa', 'Sven', 'Tara']
    const lasts = Array.from({ length: 1500 }, (_, i) => `Staff${String(i).padStart(4, '0')}`)
    const staff = ['email,name', ...lasts.flatMap((last) => firsts.map((first) => `${first.toLowerCase()}.${last.toLowerCase()}@example.com,${first} ${last}`))].join('\n')
    await chooseFile('staff.csv', staff)
    await dialog.getByRole('button', { name: /^Import [\d,]+ users$/ }).click({ timeout: 120_000 })
    await dialog.getByText(/^Importing: .*[1-9][\d,]* of [\d,]+ row/).waitFor({ timeout: 120_000 })
    await shotNow(page, '20-import-progress')
    await dialog.getByRole('button', { name: 'Done', exact: true }).waitFor({ timeout: 120_000 })
    await shot(page, '21-import-done')
    await dialog.getByRole('button', { name: 'Done', exact: true }).click()

    // An imported user: "No password yet", and an administrator sets one.
    await page.getByLabel('Search').fill('amara.staff0000@example.com')
    await page.getByRole('table').getByRole('button', { name: 'Amara Staff0000', exact: true }).click()
    await page.getByText('No password yet').waitFor()
    await shot(page, '22-user-no-password')
    await page.getByRole('button', { name: 'Set password', exact: true }).click()
    await page.getByRole('dialog').getByLabel('New password').fill('correct horse battery staple 42')
    await page.waitForTimeout(400)
    await shot(page, '23-user-set-password')
    await page.getByRole('dialog').getByRole('button', { name: 'Set password', exact: true }).click()
    const reauth = page.getByRole('dialog', { name: "Confirm it's you" })
    const confirmed = page.getByText(/has a password now/)
    await reauth.or(confirmed).first().waitFor({ timeout: 30_000 })
    if (await reauth.isVisible()) {
      if (!(await reauth.getByLabel('Your password').isVisible())) await reauth.getByRole('button', { name: 'Use your password instead' }).click()
      await reauth.getByLabel('Your password').fill(PASSWORD)
      await reauth.getByRole('button', { name: 'Confirm', exact: true }).click()
    }
    await confirmed.waitFor({ timeout: 30_000 })
    await shot(page, '24-user-password-set')

    // Account > Directory sync against a throwaway slapd: empty, the form warning of plain ldap://,
    // a test, a preview, a sync, the stop before disabling people who left, 900 px wide, progress.
    // Before the staged directory user below, whom a sync would take for someone who left.
    await shootDirectorySync({ page, password: PASSWORD, shot, shotNow, dir })

    // A directory user signs in with their directory password: staged in the file, as a sync leaves them.
    const directory = new Database(dbPath)
    directory.prepare("UPDATE users SET source = 'ldap', directory_dn = ?, password_hash = NULL WHERE email = ?").run('uid=fatima.zahra,ou=people,dc=example,dc=com', 'fatima.zahra@example.com')
    directory.close()
    await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).click()
    await page.getByLabel('Search').fill('fatima.zahra@example.com')
    await page.getByRole('table').getByRole('button', { name: 'Fatima Zahra', exact: true }).click()
    await page.getByText('Signs in with their directory password').waitFor()
    await shot(page, '25-user-directory')

    // Account > RADIUS clients: empty, the Add client dialog and an address it refuses, the secret
    // the app made shown once, the list, the confirmation before removing, 900 px wide.
    await shootRadiusClients({ page, password: PASSWORD, shot })

    // Account > Groups: the list, a group's details, Add members with the dry run's effect, the enforce
    // confirmation, 900 px wide. Last: it turns "Enforce 2FA for all users" off, so a group's enforcement shows.
    await shootGroups({ page, password: PASSWORD, shot, cli })

    // Account > Security's trend on a directory with 80 days behind it, and recovery codes
    // printed from My account: a preview of their own (scripts/test-browser/history-shots.mjs).
    await shootHistory({ browser, dir, shot })
  } finally {
    await browser.close()
    child.kill('SIGINT')
    rmSync(dir, { recursive: true, force: true })
  }
  // Temporary access passes, enrollment at the desk and a grace period: on a fresh database of their own
  // (scripts/test-browser/temporary-pass-shots.mjs, which also runs grace-shots.mjs).
  const passShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'temporary-pass-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (passShots.status !== 0) throw new Error('The temporary pass and grace period screenshots failed.')
  // Add user with "Enforce 2FA activation" and a generated password, and the notice after a sign-in with a
  // recovery code: on a fresh database of their own (scripts/test-browser/add-user-shots.mjs).
  const addUserShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'add-user-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (addUserShots.status !== 0) throw new Error('The Add user and recovery-code notice screenshots failed.')
  // The Users filters, columns and sorts of issue 13: a demo directory of their own (scripts/test-browser/filters-shots.mjs).
  const filterShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'filters-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (filterShots.status !== 0) throw new Error('The Users filter screenshots failed.')
  // Issue 13's accessibility fixes: the distribution bar's labels and disabled buttons (scripts/test-browser/a11y-shots.mjs).
  const a11yShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'a11y-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (a11yShots.status !== 0) throw new Error('The accessibility screenshots failed.')
  // Bulk actions on the Users selection and Copy instructions (issue 13): a demo directory of their own (scripts/test-browser/bulk-shots.mjs).
  const bulkShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'bulk-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (bulkShots.status !== 0) throw new Error('The bulk action screenshots failed.')
  // Issue 13's 900 px layout and the focused row of the arrow keys (scripts/test-browser/narrow-shots.mjs).
  const narrowShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'narrow-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (narrowShots.status !== 0) throw new Error('The 900 px screenshots failed.')
  // The defects of issue 13's walk, each fixed: attempts left, the lock, field errors, the idle warning (scripts/test-browser/walk-defects-shots.mjs).
  const walkShots = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-browser', 'walk-defects-shots.mjs'), '--out', OUT], { cwd: ROOT, stdio: 'inherit' })
  if (walkShots.status !== 0) throw new Error('The walk-defect screenshots failed.')
}

main().catch((error) => {
  console.error(`Screenshots failed: ${error.message}`)
  process.exit(1)
})
