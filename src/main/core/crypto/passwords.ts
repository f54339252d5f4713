// Password hashing with scrypt from node:crypto, run asynchronously on libuv's
// thread pool so a login never blocks the main process's event loop.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../../shared/errors'

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number
  r: number
  p: number
}

/** OWASP Password Storage Cheat Sheet: N=2^17 (128 MiB), r=8, p=1. */
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }

const KEY_LENGTH = 32
const SALT_LENGTH = 16

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes or Node refuses the OWASP cost.
    const maxmem = 128 * params.N * params.r * 2
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key)
    )
  })
}

/** Format: scrypt$N$r$p$salt(base64)$hash(base64), so parameters can rise later without breaking old hashes. */
export async function hashPassword(password: string, params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, params)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [, n, r, p, saltText, hashText] = parts as [string, string, string, string, string, string]
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  if (![params.N, params.r, params.p].every((value) => Number.isSafeInteger(value) && value > 0)) return false
  const expected = Buffer.from(hashText, 'base64')
  const actual = await derive(password, Buffer.from(saltText, 'base64'), params)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** Whether a stored hash was made with weaker parameters than today's, so it can be upgraded at the next login. */
export function needsRehash(encoded: string, params: ScryptParams): boolean {
  const parts = encoded.split('$')
  return parts[0] !== 'scrypt' || Number(parts[1]) < params.N || Number(parts[2]) < params.r || Number(parts[3]) < params.p
}

/**
 * Refuses a new password that is too short or too easy to guess (src/shared/password-policy.ts,
 * the same rule the screens' hint shows), for every path that sets one. The rule's dictionaries
 * take about 100 ms to load, so they load on the first password set, not with every command.
 */
export async function requireAcceptablePassword(password: string, person: { name?: string; email?: string }, field = 'password'): Promise<void> {
  const { judgePassword } = await import('../../../shared/password-policy')
  const judgement = judgePassword(password, person)
  if (!judgement.acceptable) throw new AppError('WEAK_PASSWORD', judgement.problem ?? 'Choose a stronger password.', field)
}
