// What the screenshot drivers share beyond preview.mjs: the demo password,
// codes computed as an authenticator app does, and enrolling on the screen
// by reading the QR code shown (driven as a person would).
import jsQR from 'jsqr'
import { generateSync } from 'otplib'
import { PNG } from 'pngjs'

export const PASSWORD = 'demo password 2026'
export const code = (secret, offset = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 })

/** The secret in the otpauth:// address of the QR code in `png`. */
export function decodeQr(png) {
  const image = PNG.sync.read(png)
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)
  if (!found) throw new Error('No QR code on the screen.')
  return new URL(found.data).searchParams.get('secret')
}

/** Activates 2FA on the shown enrollment screen; resolves to the secret. */
export async function enrollOnScreen(page) {
  const qr = page.getByAltText('QR code for your authenticator app')
  await qr.waitFor()
  const secret = decodeQr(await qr.screenshot())
  await page.getByLabel('Authentication code').fill(code(secret))
  await page.getByRole('button', { name: 'Activate 2FA', exact: true }).click()
  await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
  await page.getByLabel('I have saved my recovery codes').check()
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  return secret
}
