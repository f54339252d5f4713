// Defects of the walk (issue 13, section 4) at sign-in, in headless Chromium
// against the real preview: the attempts left before the lock and one locked
// state (item 2), the page without an access token (item 9), and the idle
// sign-out: its warning, "Stay signed in", the audit entry and the setting on
// Account > Security (item 11).
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN, firstRunAdmin, World } from './support/fixtures'
import { totpCode } from './support/totp'
import type { AppPage } from './pages/app-page'
import { expectNoViolations } from './support/axe'

let world: World | undefined
afterEach(async (context) => {
  if (!world) return
  if (context.task.result?.state === 'fail') await world.captureFailure(context.task.name)
  await world.stop()
  world = undefined
})

const isFocused = (page: AppPage, label: string) => page.page.getByLabel(label, { exact: true }).evaluate((element) => element === document.activeElement)

/** The admin signed out, then at the second factor again. */
async function adminAtSecondFactor(): Promise<{ admin: AppPage; secret: string }> {
  world = await World.start()
  const { admin, secret } = await firstRunAdmin(world)
  await admin.logOut()
  await admin.logIn(ADMIN.email, ADMIN.password)
  await admin.heading('Two-factor authentication').waitFor()
  return { admin, secret }
}

/** Every visible message (alerts and notes) on the page. */
async function messages(admin: AppPage): Promise<string[]> {
  return (await admin.page.locator('[role="alert"], [role="status"]').allInnerTexts()).map((text) => text.trim()).filter((text) => text !== '')
}

describe('wrong codes at sign-in (item 2)', () => {
  it('says how many attempts are left at the field, then shows one locked state with Verify disabled and no duplicate messages', async () => {
    const { admin, secret } = await adminAtSecondFactor()
    const page = admin.page
    const code = page.getByLabel('Authentication code')
    for (let i = 1; i <= 6; i++) {
      await admin.verify('000000')
      await page.getByRole('alert').filter({ hasText: 'That code is not correct.' }).waitFor()
      expect(await page.getByRole('alert').innerText()).not.toMatch(/attempts? left/)
      await page.getByRole('button', { name: 'Verify', exact: true }).isEnabled()
    }
    await admin.verify('000000')
    const warning = page.getByRole('alert').filter({ hasText: '3 attempts left before sign-in is locked.' })
    await warning.waitFor()
    // The error is the code field's: tied to it, and the focus is back in it.
    expect(await code.getAttribute('aria-invalid')).toBe('true')
    expect(await code.getAttribute('aria-describedby')).toContain(await warning.getAttribute('id'))
    expect(await isFocused(admin, 'Authentication code')).toBe(true)

    await admin.verify('000000')
    await page.getByRole('alert').filter({ hasText: '2 attempts left' }).waitFor()
    await admin.verify('000000')
    await page.getByRole('alert').filter({ hasText: '1 attempt left' }).waitFor()
    await expectNoViolations(page, 'the code step saying 1 attempt left')
    await admin.verify('000000')
    await page.getByRole('alert').filter({ hasText: 'Too many failed attempts: sign-in is locked for 10 more minutes.' }).waitFor()
    expect(await page.getByRole('button', { name: 'Verify', exact: true }).isDisabled()).toBe(true)
    expect(await code.isDisabled()).toBe(true)
    await expectNoViolations(page, 'the locked code step')
    expect(await messages(admin)).toEqual([
      'Too many failed attempts: sign-in is locked for 10 more minutes. Try again later, or ask an administrator to unlock the account.'
    ])
    // Nothing can be sent: Enter in the (disabled) form does nothing either.
    await page.keyboard.press('Enter')
    expect(await messages(admin)).toHaveLength(1)

    // Back to Log in: no leftover message; the right password answers with the lock, once.
    await page.getByRole('button', { name: 'Back to Log in' }).click()
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor()
    expect(await messages(admin)).toEqual([])
    await admin.logIn(ADMIN.email, ADMIN.password)
    await page.getByRole('alert').filter({ hasText: 'Too many failed attempts' }).waitFor()
    expect((await messages(admin)).filter((text) => /not signed in/.test(text))).toEqual([])
    expect(await messages(admin)).toHaveLength(1)
    void secret
  })

  it('many wrong codes at once are answered by the rule: at most 9 wrong-code answers, each count once, then the lock; the screen lands on Log in with one message', async () => {
    const { admin, secret } = await adminAtSecondFactor()
    const page = admin.page
    const answers = await page.evaluate(async () => {
      const api = (window as unknown as { api: { verifyCode: (input: { code: string }) => Promise<{ ok: boolean; error?: { code: string; attemptsLeft?: number } }> } }).api
      const results = await Promise.all(Array.from({ length: 20 }, () => api.verifyCode({ code: '000000' })))
      return results.map((result) => (result.ok ? { code: 'OK' } : { code: result.error!.code, left: result.error!.attemptsLeft ?? null }))
    })
    const wrong = answers.filter((answer) => answer.code === 'INVALID_CODE')
    expect(wrong.length).toBeGreaterThan(0)
    expect(wrong.length).toBeLessThanOrEqual(9)
    const counts = wrong.map((answer) => ('left' in answer ? answer.left : null))
    expect(new Set(counts).size).toBe(counts.length)
    expect(answers.filter((answer) => answer.code === 'OK')).toEqual([])
    expect(answers.filter((answer) => answer.code !== 'INVALID_CODE').every((answer) => answer.code === 'ACCOUNT_LOCKED' || answer.code === 'UNAUTHENTICATED')).toBe(true)

    // The lock ended this sign-in: even the right code now lands on Log in, with one message (not a blue and a red one).
    await admin.verify(totpCode(secret))
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor()
    const shown = await messages(admin)
    expect(shown.filter((text) => text.includes('You are not signed in'))).toHaveLength(1)
    expect(shown).toHaveLength(1)
    // The next attempt's own answer replaces it.
    await admin.logIn(ADMIN.email, ADMIN.password)
    await page.getByRole('alert').filter({ hasText: 'Too many failed attempts' }).waitFor()
    expect((await messages(admin)).filter((text) => text.includes('You are not signed in'))).toEqual([])
  })
})

describe('the page without an access token (item 9)', () => {
  it('says where to find the address, without literal backticks or a command the person may not have run', async () => {
    world = await World.start()
    // A tab of its own that never saw the printed address (and so holds no token).
    const context = await world.browser.newContext()
    const page = await context.newPage()
    await page.goto(world.preview.origin + '/')
    await page.getByRole('heading', { name: '2FA Admin cannot start' }).waitFor({ timeout: 10_000 })
    const text = await page.locator('main').innerText()
    await context.close()
    expect(text).toContain('This page has no valid access token. Open the address the preview printed in its terminal when it started (it includes the token).')
    expect(text).not.toContain('`')
    expect(text).not.toContain('npm run serve')
  })
})

describe('the idle sign-out (item 11)', () => {
  it('warns before, counting down; "Stay signed in" keeps the session; without an answer it signs out, logged as an expired session', async () => {
    world = await World.start({ env: { TWOFA_ADMIN_IDLE_TIMEOUT_MS: '20000' } })
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    const warning = page.getByRole('dialog', { name: 'Are you still there?' })
    await warning.waitFor({ timeout: 25_000 })
    const first = await warning.getByRole('alert').innerText()
    expect(first).toMatch(/^You will be signed out in (\d+) s\.$/)
    // It counts down.
    await expect.poll(async () => await warning.getByRole('alert').innerText(), { timeout: 5_000 }).not.toBe(first)
    // A mouse passing by is no answer; the button is.
    await page.mouse.move(10, 10)
    await page.mouse.move(200, 300)
    expect(await warning.isVisible()).toBe(true)
    await expectNoViolations(page, 'the idle sign-out warning')
    await warning.getByRole('button', { name: 'Stay signed in' }).click()
    await warning.waitFor({ state: 'hidden' })
    // The app's own clock started again too: the screen still works.
    await admin.goTo('Audit log')

    // No answer this time: signed out, with the note, and the audit log says "Session expired".
    await warning.waitFor({ timeout: 25_000 })
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor({ timeout: 25_000 })
    await page.getByText(/You were signed out after \d+ minutes? of inactivity\./).waitFor()
    const audit = world.preview.cli(['audit', '--json', '--user', ADMIN.email])
    expect(audit.code).toBe(0)
    const actions = (JSON.parse(audit.stdout) as { action: string }[]).map((entry) => entry.action)
    expect(actions).toContain('session.expired')
    expect(actions).not.toContain('logout')
  })

  it('Account > Security sets the idle timeout from 5 to 60 minutes: a wrong value is refused at the field; a saved one is audited and kept', async () => {
    world = await World.start()
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    await admin.goTo('Security')
    const section = page.getByRole('region', { name: 'Idle timeout' })
    const field = section.getByLabel('Sign out after (minutes without activity)')
    expect(await field.inputValue()).toBe('15')
    const save = section.getByRole('button', { name: 'Save idle timeout' })
    expect(await save.isDisabled()).toBe(true)
    await field.fill('4')
    await save.click()
    const error = section.getByRole('alert').filter({ hasText: 'Enter whole minutes from 5 to 60.' })
    await error.waitFor()
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await field.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'))
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true)
    await field.fill('30')
    expect(await field.getAttribute('aria-invalid')).toBeNull()
    await save.click()
    await section.getByText('Sessions now end after 30 minutes of inactivity.').waitFor()
    await page.reload()
    await admin.goTo('Security')
    expect(await page.getByRole('region', { name: 'Idle timeout' }).getByLabel('Sign out after (minutes without activity)').inputValue()).toBe('30')
    const audit = world.preview.cli(['audit', '--json', '--action', 'settings.idle-timeout-changed'])
    expect(JSON.parse(audit.stdout)).toMatchObject([{ actor: ADMIN.email, details: { from: 15, to: 30 } }])
  })
})
