#!/usr/bin/env node
// The screenshots of issue 13, section 5: Add user with "Enforce 2FA
// activation" and "Generate a strong password", the generated password shown
// once, the checkbox while the policy enforces for all, a generated password
// for an existing user, and the notice after a sign-in with a recovery code
// (codes left, and none left). Standalone, on a fresh database, after `npm run build`:
//   node scripts/test-browser/add-user-shots.mjs [--out DIR]
// (default docs/screenshots/). Driven as a person would; codes computed as an authenticator app does.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../build-node.mjs'
import { launchChromium, startPreview } from './preview.mjs'
import { PASSWORD, code, enrollOnScreen } from './shots-kit.mjs'

/** A user's sign-in and enrollment through the page's own API; resolves to their recovery codes. */
async function enrollThroughApi(page, email) {
  await page.waitForFunction(() => window.api !== undefined)
  const started = await page.evaluate(async ([e, p]) => (await window.api.login({ email: e, password: p }), window.api.startEnrollment({})), [email, PASSWORD])
  if (!started.ok) throw new Error(`startEnrollment for ${email}: ${started.error.message}`)
  const secret = new URL(started.value.otpauthUri).searchParams.get('secret')
  const done = await page.evaluate((c) => window.api.confirmEnrollment({ code: c }), code(secret))
  if (!done.ok) throw new Error(`confirmEnrollment for ${email}: ${done.error.message}`)
  await page.evaluate(() => window.api.logout({}))
  return done.value.recoveryCodes
}

/** Signs in on the Log in screen with the password and a recovery code. */
async function signInWithRecoveryCode(page, email, recoveryCode) {
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
  await page.getByRole('button', { name: /recovery code instead/i }).click()
  await page.getByLabel('Recovery code').fill(recoveryCode)
  await page.getByRole('button', { name: 'Verify', exact: true }).click()
  await page.locator('.recovery-code-notice').waitFor()
}

/** `page`: the administrator's, signed in on the Users screen. Needs Maria Garcia (password PASSWORD). */
export async function shootAddUser({ page, browser, url, shot, cli }) {
  // Add user, the policy off: "Enforce 2FA activation" checked, a generated password chosen.
  await page.getByRole('button', { name: 'Add user', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Add user' })
  await dialog.getByLabel('Name', { exact: true }).fill('Lena Berg')
  await dialog.getByLabel('Email', { exact: true }).fill('lena.berg@example.com')
  await dialog.getByLabel('Generate a strong password').check()
  await shot(page, '75a-add-user-enforce-generate')
  await dialog.getByRole('button', { name: 'Create user', exact: true }).click()
  const shown = page.getByRole('dialog', { name: 'User added' })
  await shown.waitFor()
  await shown.getByRole('button', { name: 'Copy', exact: true }).click()
  await shown.getByRole('status').filter({ hasText: /\S/ }).waitFor()
  await shot(page, '75b-add-user-password-shown-once')
  await shown.getByRole('button', { name: 'Done', exact: true }).click()
  await shown.waitFor({ state: 'hidden' })

  // The policy on: the checkbox says the policy enforces already.
  cli('enforce-all')
  await page.getByRole('button', { name: 'Add user', exact: true }).click()
  await dialog.getByText('2FA is enforced for all users').waitFor()
  await dialog.getByLabel('Name', { exact: true }).fill('Omar Haddad')
  await dialog.getByLabel('Email', { exact: true }).fill('omar.haddad@example.com')
  await dialog.getByLabel('Initial password').fill('omar chooses a long password 7')
  await page.waitForTimeout(400)
  await shot(page, '75c-add-user-policy-enforces')
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
  cli('revoke-all')

  // A generated password for an existing user, from User details.
  await page.getByLabel('Search').fill('maria.garcia@example.com')
  await page.getByRole('table').getByRole('button', { name: 'Maria Garcia', exact: true }).click()
  await page.getByRole('heading', { name: 'Security' }).waitFor()
  await page.getByRole('button', { name: 'Change password', exact: true }).click()
  await page.getByRole('dialog', { name: /^Change the password of / }).getByLabel('Generate a strong password').check()
  await shot(page, '75d-set-password-generate')
  await page.getByRole('dialog', { name: /^Change the password of / }).getByRole('button', { name: 'Cancel', exact: true }).click()

  // Tom signs in with a recovery code: nine left; then with his last one: none left.
  const tomContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
  const tom = await tomContext.newPage()
  await tom.goto(url)
  const codes = await enrollThroughApi(tom, 'tom.jones@example.com')
  await signInWithRecoveryCode(tom, 'tom.jones@example.com', codes[0])
  await shot(tom, '75e-recovery-code-notice')
  for (const used of codes.slice(1, 9)) {
    const step = await tom.evaluate(async ([e, p, c]) => (await window.api.logout({}), await window.api.login({ email: e, password: p }), window.api.verifyRecoveryCode({ code: c })), ['tom.jones@example.com', PASSWORD, used])
    if (!step.ok) throw new Error(`recovery sign-in: ${step.error.message}`)
  }
  await tom.evaluate(() => window.api.logout({}))
  await tom.reload()
  await signInWithRecoveryCode(tom, 'tom.jones@example.com', codes[9])
  await shot(tom, '75f-recovery-code-notice-none-left')
  await tomContext.close()
}

async function main() {
  const outFlag = process.argv.indexOf('--out')
  const out = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'docs', 'screenshots')
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'twofa-add-user-shots-'))
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
    for (const [who, email] of [['Maria Garcia', 'maria.garcia@example.com'], ['Tom Jones', 'tom.jones@example.com']]) cli('user', 'add', '--name', who, '--email', email, '--password-stdin')
    await page.reload()
    await page.getByRole('row').filter({ hasText: 'maria.garcia@example.com' }).waitFor()
    await shootAddUser({ page, browser, url, shot, cli })
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
