// Defects of the walk (issue 13, section 4) on the activation of 2FA, in
// headless Chromium against the real preview: the heading once 2FA is active
// (item 5), and the feedback of "Save as text" for the recovery codes (item 6).
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { ADMIN, worldForEachTest } from './support/fixtures'
import { decodeQrPng, secretOf, totpCode } from './support/totp'

let world: World
worldForEachTest((started) => (world = started))

describe('after activating 2FA (items 5 and 6)', () => {
  it('the heading says 2FA is active, and Copy and Save as text each say what they did', async () => {
    const admin = await world.person()
    const page = admin.page
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.preview.origin })
    await admin.setUpFirstAdmin(ADMIN.name, ADMIN.email, ADMIN.password)
    await admin.heading('Activate 2FA').waitFor()
    expect(await page.getByText('Activate it to continue', { exact: false }).count()).toBe(1)

    const qr = page.getByAltText('QR code for your authenticator app')
    await qr.waitFor({ state: 'visible' })
    const secret = secretOf(decodeQrPng(await qr.screenshot()))
    await page.getByLabel('Authentication code').fill(totpCode(secret))
    await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
    await page.getByRole('list', { name: 'Recovery codes' }).waitFor()

    // Item 5: no call to activate above the news that it is active.
    await admin.heading('2FA is active').waitFor()
    expect(await admin.heading('Activate 2FA').count()).toBe(0)
    expect(await page.getByText('Activate it to continue', { exact: false }).count()).toBe(0)
    await page.getByText('Save your recovery codes, then continue.').waitFor()

    // Item 6: each button's own note in the one status line.
    const status = page.locator('.recovery-codes .inline-status')
    await page.getByRole('button', { name: 'Copy', exact: true }).click()
    await expect.poll(() => status.innerText()).toBe('Copied to the clipboard.')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Save as text', exact: true }).click()
    expect((await download).suggestedFilename()).toBe('2fa-admin-recovery-codes.txt')
    await expect.poll(() => status.innerText()).toBe('Saved as a text file: 2fa-admin-recovery-codes.txt.')
    expect(await status.getAttribute('role')).toBe('status')
    await page.getByRole('button', { name: 'Copy', exact: true }).click()
    await expect.poll(() => status.innerText()).toBe('Copied to the clipboard.')
  })
})
