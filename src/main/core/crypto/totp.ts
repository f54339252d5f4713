// TOTP (RFC 6238) over otplib: code generation, verification over a window of
// one step either side, replay detection by time step, and otpauth:// URIs.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { generateSync } from 'otplib'
import type { TotpAlgorithm } from '../../../shared/domain'

export interface TotpConfig {
  algorithm: TotpAlgorithm
  digits: number
  /** Seconds per time step. */
  period: number
}

export const DEFAULT_TOTP: TotpConfig = { algorithm: 'SHA1', digits: 6, period: 30 }
export const SECRET_BYTES = 20
/** Steps accepted on each side of the current one: clock drift and typing time, nothing wider. */
export const WINDOW_STEPS = 1
export const ISSUER = '2FA Admin'

const OTPLIB_ALGORITHM = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const

export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES)
}

export function timeStep(epochMs: number, period: number): number {
  return Math.floor(epochMs / 1000 / period)
}

/** The code for a given time step. */
export function codeForStep(secret: Uint8Array, step: number, config: TotpConfig = DEFAULT_TOTP): string {
  return generateSync({
    secret,
    epoch: step * config.period,
    period: config.period,
    digits: config.digits as 6 | 7 | 8,
    algorithm: OTPLIB_ALGORITHM[config.algorithm]
  })
}

/** The code at an instant (epoch milliseconds). */
export function codeAt(secret: Uint8Array, epochMs: number, config: TotpConfig = DEFAULT_TOTP): string {
  return codeForStep(secret, timeStep(epochMs, config.period), config)
}

export type TotpCheck =
  | { valid: true; step: number }
  /** The code matches a step at or before the last accepted one: a replay. */
  | { valid: false; replay: true; step: number }
  | { valid: false; replay: false }

function sameCode(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Checks a code against the current step and one step either side. Every
 * candidate is compared (in constant time) so timing does not tell which step matched.
 */
export function checkTotp(secret: Uint8Array, code: string, epochMs: number, config: TotpConfig, lastUsedStep: number | null): TotpCheck {
  const current = timeStep(epochMs, config.period)
  let matched: number | null = null
  for (let step = current - WINDOW_STEPS; step <= current + WINDOW_STEPS; step++) {
    if (sameCode(codeForStep(secret, step, config), code) && matched === null) matched = step
  }
  if (matched === null) return { valid: false, replay: false }
  if (lastUsedStep !== null && matched <= lastUsedStep) return { valid: false, replay: true, step: matched }
  return { valid: true, step: matched }
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32, uppercase, without padding (what authenticator apps expect). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let output = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31]
  return output
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase()
  let bits = 0
  let value = 0
  const bytes: number[] = []
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char)
    if (index < 0) throw new Error('Not base32.')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** Groups of four for typing the key by hand. */
export function groupsOfFour(text: string): string[] {
  return text.match(/.{1,4}/g) ?? []
}

/** otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=...&digits=...&period=... (Key Uri Format). */
export function otpauthUri(secret: Uint8Array, accountName: string, config: TotpConfig = DEFAULT_TOTP, issuer: string = ISSUER): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: config.algorithm,
    digits: String(config.digits),
    period: String(config.period)
  })
  // URLSearchParams writes spaces as '+'; authenticator apps expect %20.
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`
}
