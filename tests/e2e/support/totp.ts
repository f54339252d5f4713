// What an authenticator app does: read the QR image, compute the code.
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { generateSync } from 'otplib'

/** Decodes a QR code from PNG pixels (a screenshot of the image as displayed). */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png)
  const result = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)
  if (!result) throw new Error('No QR code found in the image.')
  return result.data
}

export function secretOf(otpauthUri: string): string {
  const url = new URL(otpauthUri)
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`Not a TOTP URI: ${otpauthUri}`)
  const secret = url.searchParams.get('secret')
  if (!secret) throw new Error('The URI has no secret.')
  return secret
}

/** The current code for a base32 secret; `offsetSteps` picks a neighbouring time step. */
export function totpCode(base32Secret: string, offsetSteps = 0): string {
  return generateSync({ secret: base32Secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 })
}

/** Waits until the next 30 s step begins, so a new code differs from one already used. */
export async function nextTimeStep(): Promise<void> {
  const msIntoStep = Date.now() % 30_000
  await new Promise((done) => setTimeout(done, 30_000 - msIntoStep + 50))
}
