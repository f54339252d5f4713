// Page object for Account > Users > Import users and the user details' Sign-in
// part: the tests speak of files, changes, problems and passwords.
import type { Locator } from 'playwright-core'
import type { AppPage } from './app-page'

export class ImportUsersDialog {
  readonly dialog: Locator
  constructor(readonly app: AppPage) {
    this.dialog = app.page.getByRole('dialog', { name: 'Import users' })
  }

  async open(): Promise<void> {
    await this.app.page.getByRole('button', { name: 'Import users', exact: true }).click()
    await this.dialog.getByLabel('CSV file').waitFor()
  }

  /** Chooses a file as the browser's file picker would hand it over (bytes, a BOM kept). */
  async choose(name: string, text: string): Promise<void> {
    await this.dialog.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') })
  }

  changes(): Locator {
    return this.dialog.getByRole('region', { name: 'Changes' })
  }

  problems(): Locator {
    return this.dialog.getByRole('region', { name: 'Problems' })
  }

  /** The rows of the changes or problems table: [line, user, change or problem] each. */
  async rows(table: Locator): Promise<string[][]> {
    await table.waitFor()
    const rows = await table.locator('tbody tr').all()
    return Promise.all(rows.map(async (row) => (await row.locator('td').allInnerTexts()).map((cell) => cell.replace(/\s+/g, ' ').trim())))
  }

  counts(): Locator {
    return this.dialog.getByRole('list', { name: /^What the import (does|did)$/ })
  }

  importButton(): Locator {
    return this.dialog.getByRole('button', { name: /^Import( [\d,]+ users?)?$/ })
  }

  button(name: string): Locator {
    return this.dialog.getByRole('button', { name, exact: true })
  }
}

/** User details > Sign-in: the password's state and Set password. */
export class SignInSection {
  readonly section: Locator
  constructor(readonly app: AppPage) {
    this.section = app.page.getByRole('region', { name: 'Sign-in' })
  }

  /** "Account" and "Password" as the section lists them. */
  async facts(): Promise<Record<string, string>> {
    await this.section.waitFor()
    const terms = await this.section.locator('dt').allInnerTexts()
    const values = await this.section.locator('dd').allInnerTexts()
    return Object.fromEntries(terms.map((term, index) => [term.trim(), (values[index] ?? '').trim()]))
  }

  /** Sets a password in the dialog; answers "Confirm it's you" with the admin's password if it asks. */
  async setPassword(password: string, adminPassword: string): Promise<void> {
    await this.section.getByRole('button', { name: /^(Set|Change) password$/ }).click()
    const dialog = this.app.page.getByRole('dialog', { name: /^(Set a password for|Change the password of) / })
    await dialog.getByLabel('New password').fill(password)
    await dialog.getByRole('button', { name: /^(Set|Change) password$/ }).click()
    const reauth = this.app.reauthDialog()
    await reauth.or(this.app.successMessage()).first().waitFor()
    if (await reauth.isVisible()) await this.app.confirmItsYou({ password: adminPassword })
    await dialog.waitFor({ state: 'hidden' })
  }
}
