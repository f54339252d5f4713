// Page object for the 2FA Admin screens: tests speak in the user's words
// (the labels of the vendor help page), not in CSS selectors.
import type { Download, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { decodeQrPng, secretOf, totpCode } from '../support/totp'

export type ShieldName = '2FA not active' | '2FA enforced, activation pending' | '2FA active'

export class AppPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url)
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { name })
  }

  alert(): Locator {
    return this.page.getByRole('alert').filter({ hasText: /\S/ })
  }

  async setUpFirstAdmin(name: string, email: string, password: string): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name)
    await this.page.getByLabel('Email', { exact: true }).fill(email)
    await this.page.getByLabel('Password', { exact: true }).fill(password)
    await this.page.getByLabel('Confirm password').fill(password)
    await this.page.getByRole('button', { name: /create/i }).click()
  }

  async logIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email', { exact: true }).fill(email)
    await this.page.getByLabel('Password', { exact: true }).fill(password)
    await this.page.getByRole('button', { name: 'Log in', exact: true }).click()
  }

  async verify(code: string): Promise<void> {
    await this.page.getByLabel('Authentication code').fill(code)
    await this.page.getByRole('button', { name: 'Verify', exact: true }).click()
  }

  async verifyRecoveryCode(code: string): Promise<void> {
    await this.page.getByRole('button', { name: /recovery code instead/i }).click()
    await this.page.getByLabel('Recovery code').fill(code)
    await this.page.getByRole('button', { name: 'Verify', exact: true }).click()
  }

  /**
   * Activates 2FA as a person with an authenticator app would: reads the QR
   * image as displayed (a screenshot decoded by a QR library, not the DOM
   * text), computes the code, and saves the recovery codes. `whileCodesShown`
   * runs while the recovery codes are on the screen (an accessibility check).
   */
  async activateTwoFactor(whileCodesShown?: () => Promise<void>): Promise<{ secret: string; recoveryCodes: string[] }> {
    const qr = this.page.getByAltText('QR code for your authenticator app')
    await qr.waitFor({ state: 'visible' })
    const uri = decodeQrPng(await qr.screenshot())
    const secret = secretOf(uri)
    // The key shown for manual entry is the same secret.
    const shownKey = (await this.page.getByLabel('Secret key').innerText()).replace(/\s+/g, '')
    expect(shownKey).toBe(secret)
    await this.page.getByLabel('Authentication code').fill(totpCode(secret))
    await this.page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    const list = this.page.getByRole('list', { name: 'Recovery codes' })
    await list.waitFor({ state: 'visible' })
    const recoveryCodes = (await list.getByRole('listitem').allInnerTexts()).map((code) => code.trim())
    expect(recoveryCodes).toHaveLength(10)
    await whileCodesShown?.()
    const continueButton = this.page.getByRole('button', { name: 'Continue', exact: true })
    expect(await continueButton.isDisabled()).toBe(true)
    await this.page.getByLabel('I have saved my recovery codes').check()
    await continueButton.click()
    return { secret, recoveryCodes }
  }

  nav(name: string): Locator {
    return this.page.getByRole('navigation').getByRole('button', { name, exact: true }).or(this.page.getByRole('navigation').getByRole('link', { name, exact: true }))
  }

  async goTo(name: 'Users' | 'Security' | 'Groups' | 'Directory sync' | 'RADIUS clients' | 'My account' | 'Audit log'): Promise<void> {
    await this.nav(name).click()
    await this.heading(name === 'Audit log' ? /Audit log/ : name).first().waitFor()
  }

  row(email: string): Locator {
    return this.page.getByRole('row').filter({ hasText: email })
  }

  shield(email: string): Locator {
    return this.row(email).getByRole('img', { name: /^2FA / })
  }

  /** Waits until the user's shield in the Users table has this accessible name. */
  async expectShield(email: string, name: ShieldName): Promise<void> {
    await this.row(email).getByRole('img', { name, exact: true }).waitFor({ state: 'visible' })
  }

  async openUser(name: string): Promise<void> {
    await this.page.getByRole('table').getByRole('button', { name, exact: true }).or(this.page.getByRole('table').getByRole('link', { name, exact: true })).click()
    await this.heading('Security').waitFor()
  }

  enforceCheckbox(): Locator {
    return this.page.getByLabel('Enforce 2FA activation')
  }

  async saveSecurity(): Promise<void> {
    await this.page.getByRole('region', { name: 'Security' }).getByRole('button', { name: 'Save', exact: true }).click()
  }

  successMessage(): Locator {
    return this.page.locator('.message-success').filter({ hasText: /\S/ })
  }

  /** Clicks a button that asks for confirmation, then confirms in the dialog. Returns the dialog's text. */
  async clickAndConfirm(button: string | RegExp, confirm: string | RegExp = button): Promise<string> {
    await this.page.getByRole('button', { name: button, exact: typeof button === 'string' }).first().click()
    const dialog = this.page.getByRole('dialog')
    await dialog.waitFor({ state: 'visible' })
    // A confirmation that counts what it will change says "Counting…" until the count arrives: read it after.
    await dialog.getByText('Counting…', { exact: true }).waitFor({ state: 'detached' })
    const text = await dialog.innerText()
    await dialog.getByRole('button', { name: confirm, exact: typeof confirm === 'string' }).click()
    await dialog.waitFor({ state: 'hidden' })
    return text
  }

  /** The "Confirm it's you" dialog a sensitive action opens when the last password or code is too old. */
  reauthDialog(): Locator {
    return this.page.getByRole('dialog', { name: "Confirm it's you" })
  }

  /** Answers "Confirm it's you" with the password or a code; does not wait for the outcome. */
  async confirmItsYou(answer: { password: string } | { code: string }): Promise<void> {
    const dialog = this.reauthDialog()
    await dialog.waitFor({ state: 'visible' })
    if ('password' in answer) {
      const field = dialog.getByLabel('Your password')
      if (!(await field.isVisible())) await dialog.getByRole('button', { name: 'Use your password instead' }).click()
      await field.fill(answer.password)
    } else {
      const field = dialog.getByLabel('Authentication code')
      if (!(await field.isVisible())) await dialog.getByRole('button', { name: 'Use an authentication code instead' }).click()
      await field.fill(answer.code)
    }
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click()
  }

  /** Chooses the export format beside the screen's Export button, clicks Export, and returns the browser's download once the file arrives. */
  async exportAs(format: string): Promise<Download> {
    await this.page.getByLabel('Export format').selectOption({ label: format })
    const download = this.page.waitForEvent('download', { timeout: 60_000 })
    await this.page.getByRole('button', { name: 'Export', exact: true }).click()
    return download
  }

  async logOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Log out', exact: true }).first().click()
    await this.page.getByRole('button', { name: 'Log in', exact: true }).waitFor()
  }
}
