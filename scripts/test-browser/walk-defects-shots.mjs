#!/usr/bin/env node
// The screenshots of the walk's defects (issue 13, section 4): the attempts
// left before the lock and the locked state at sign-in, the setup form's error
// at its field, Add user's taken email at its field, the recovery codes saved
// as text, the demotion of oneself asked first, the idle timeout on Account >
// Security (refused, saved), the warning before the idle sign-out (60 s), and
// the page without an access token. Standalone, on fresh databases, after `npm run build`:
//   node scripts/test-browser/walk-defects-shots.mjs [--out DIR]
// (default docs/screenshots/). The idle warning waits a real minute.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { launchChromium } from './preview.mjs'
import { code, decodeQr } from './shots-kit.mjs'

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'ada admin password 1' }

/** The preview on a fresh database; `env` as the end-to-end tests give it (TWOFA_ADMIN_IDLE_TIMEOUT_MS only shortens). */
async function preview(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'twofa-walk-shots-'))
  const dbPath = join(dir, 'demo.db')
  const child = spawn(process.execPath, [join(ROOT, 'out', 'server', 'serve.js'), '--db', dbPath, '--port', '0'], { cwd: ROOT, env: { ...process.env, ...env } })
  const url = await new Promise((resolveUrl, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out)
      if (match) resolveUrl(match[0])
    })
    child.once('exit', (exit) => reject(new Error(`The preview exited with ${exit}: ${out}`)))
  })
  const cli = (args, input) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], { cwd: ROOT, input: input ?? '', encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr || result.stdout}`)
    return result.stdout
  }
  const stop = async () => {
    const exited = new Promise((done) => child.once('exit', done))
    child.kill('SIGINT')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  return { url, origin: new URL(url).origin, cli, stop }
}

/** First run on screen; `beforeContinue` sees the recovery codes before Continue. Resolves to the secret. */
async function firstRun(page, beforeContinue = async () => {}) {
  await page.getByLabel('Name', { exact: true }).fill(ADMIN.name)
  await page.getByLabel('Email', { exact: true }).fill(ADMIN.email)
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await page.getByLabel('Confirm password').fill(ADMIN.password)
  await page.getByRole('button', { name: 'Create administrator' }).click()
  const qr = page.getByAltText('QR code for your authenticator app')
  await qr.waitFor()
  const secret = decodeQr(await qr.screenshot())
  await page.getByLabel('Authentication code').fill(code(secret))
  await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
  await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
  await beforeContinue()
  await page.getByLabel('I have saved my recovery codes').check()
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await page.getByRole('heading', { name: 'Users' }).waitFor()
  return secret
}

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const browser = await launchChromium()
  const shot = async (target, file) => {
    // Let the last transition settle (a Locator knows its page).
    await (typeof target.page === 'function' ? target.page() : target).waitForTimeout(150)
    await target.screenshot({ path: join(out, `${file}.png`) })
    console.log(join(out, `${file}.png`))
  }
  const fresh = async (url) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, acceptDownloads: true })
    const page = await context.newPage()
    if (url) await page.goto(url)
    return { context, page }
  }
  try {
    // 1. The setup form's error at its field, the codes saved as text, then the attempts left and the lock.
    let app = await preview()
    let { context, page } = await fresh(app.url)
    await page.getByLabel('Name', { exact: true }).fill(ADMIN.name)
    await page.getByLabel('Email', { exact: true }).fill('ada@localhost')
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
    await page.getByLabel('Confirm password').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await page.getByRole('alert').filter({ hasText: 'Enter an email address' }).waitFor()
    await shot(page, '88-setup-email-error-at-field')
    await page.reload()
    await firstRun(page, async () => {
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Save as text', exact: true }).click()
      await download
      await page.getByText('Saved as a text file').waitFor()
      await shot(page, '87-recovery-codes-saved-as-text')
    })
    // Add user with an email already taken: at the Email field.
    app.cli(['user', 'add', '--name', 'Maria Garcia', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')
    await page.reload()
    await page.getByRole('button', { name: 'Add user', exact: true }).click()
    const add = page.getByRole('dialog', { name: 'Add user' })
    await add.getByLabel('Name', { exact: true }).fill('Maria Again')
    await add.getByLabel('Email', { exact: true }).fill('maria@example.com')
    await add.getByLabel('Initial password').fill('another good password 7')
    await add.getByRole('button', { name: 'Create user' }).click()
    await add.getByRole('alert').filter({ hasText: 'already exists' }).waitFor()
    await shot(page, '89-add-user-email-taken')
    await add.getByRole('button', { name: 'Cancel' }).click()
    // The idle timeout on Account > Security: refused at the field, then saved.
    await page.getByRole('navigation').getByRole('button', { name: 'Security', exact: true }).or(page.getByRole('navigation').getByRole('link', { name: 'Security', exact: true })).click()
    const idle = page.getByRole('region', { name: 'Idle timeout' })
    await idle.waitFor()
    await idle.scrollIntoViewIfNeeded()
    await idle.getByLabel('Sign out after (minutes without activity)').fill('4')
    await idle.getByRole('button', { name: 'Save idle timeout' }).click()
    await idle.getByRole('alert').waitFor()
    await shot(idle, '82-idle-timeout-field-error')
    await idle.getByLabel('Sign out after (minutes without activity)').fill('30')
    await idle.getByRole('button', { name: 'Save idle timeout' }).click()
    await idle.getByText('Sessions now end after 30 minutes of inactivity.').waitFor()
    await shot(idle, '83-idle-timeout-saved')
    // Demoting oneself is asked first (a second administrator exists).
    app.cli(['user', 'add', '--name', 'Bob Admin', '--email', 'bob@example.com', '--role', 'admin', '--password-stdin'], 'bob admin password 1')
    await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).or(page.getByRole('navigation').getByRole('link', { name: 'Users', exact: true })).click()
    await page.getByRole('table').getByRole('button', { name: ADMIN.name, exact: true }).or(page.getByRole('table').getByRole('link', { name: ADMIN.name, exact: true })).click()
    const profile = page.getByRole('form', { name: 'Profile' })
    await profile.getByLabel('Role').selectOption({ label: 'User' })
    await profile.getByRole('button', { name: 'Save profile' }).click()
    await page.getByRole('dialog', { name: 'Remove your own administrator rights?' }).waitFor()
    await shot(page, '86-demote-yourself-confirmation')
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    // Wrong codes: "3 attempts left" at the field, then the one locked state.
    await page.getByRole('button', { name: 'Log out', exact: true }).first().click()
    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email)
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
    await page.getByRole('button', { name: 'Log in', exact: true }).click()
    for (let i = 0; i < 10; i++) {
      await page.getByLabel('Authentication code').fill('000000')
      await page.getByRole('button', { name: 'Verify', exact: true }).click()
      await page.getByRole('alert').filter({ hasText: i === 9 ? 'Too many failed attempts' : 'That code is not correct' }).waitFor()
      if (i === 6) await shot(page, '80-sign-in-attempts-left')
    }
    await shot(page, '81-sign-in-locked')
    await context.close()
    await app.stop()

    // 2. The page without an access token.
    app = await preview()
    ;({ context, page } = await fresh())
    await page.goto(app.origin + '/')
    await page.getByRole('heading', { name: '2FA Admin cannot start' }).waitFor()
    await shot(page, '84-no-access-token')
    await context.close()
    await app.stop()

    // 3. The warning a minute before the idle sign-out (a 2-minute timeout: the warning shows after a minute).
    app = await preview({ TWOFA_ADMIN_IDLE_TIMEOUT_MS: '120000' })
    ;({ context, page } = await fresh(app.url))
    await firstRun(page)
    const warning = page.getByRole('dialog', { name: 'Are you still there?' })
    await warning.waitFor({ timeout: 90_000 })
    await warning.getByText('You will be signed out in 60 s.').waitFor({ timeout: 2_000 }).catch(() => undefined)
    await shot(page, '85-idle-warning')
    await context.close()
    await app.stop()
  } finally {
    await browser.close()
  }
}

main().catch((error) => {
  console.error(`The walk-defect screenshots failed: ${error.stack ?? error.message}`)
  process.exit(1)
})
