// Password hashing with scrypt from node:crypto, never on the event loop: in
// the password checks' own bounded pool of worker threads (password-pool.ts)
// while a core holds it (openCore does, in every host), else asynchronously on
// libuv's thread pool (a test of this file alone, or `passwordThreads: 0`).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import { PasswordHasher, scryptMaxmem, type PasswordHasherOptions } from './password-pool'

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
/**
 * The most one stored hash may make a check cost: 1 GiB (N=2^20 at r=8), 8x today's. A hash
 * never made here that claims more (a changed database) would break the pool's bound on memory.
 */
const MAX_SCRYPT_MEMORY = 2 ** 30
const MAX_SCRYPT_P = 16

/** The process's pool, while at least one core holds it: one pool per process, since memory is. */
let shared: { hasher: PasswordHasher; holders: number } | null = null

/**
 * Routes this process's password checks through a pool of worker threads until the returned
 * function is called (once per holder; the last one stops the threads). The first holder's
 * options make the pool; later holders share it as it is.
 */
export function holdPasswordHasher(options: PasswordHasherOptions = {}): () => void {
  const held = (shared ??= { hasher: new PasswordHasher(options), holders: 0 })
  held.holders++
  let released = false
  return () => {
    if (released) return
    released = true
    held.holders--
    if (held.holders > 0) return
    if (shared === held) shared = null
    void held.hasher.close()
  }
}

/** The pool password checks go through now, or null (in-thread): for tests and the bench. */
export function currentPasswordHasher(): PasswordHasher | null {
  return shared?.hasher ?? null
}

function deriveHere(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: params.N, r: params.r, p: params.p, maxmem: scryptMaxmem(params) }, (error, key) =>
      error ? reject(error) : resolve(key)
    )
  })
}

/** A key on the pool when one is held, else on libuv's thread pool. `mayRefuse`: see PasswordHasher.derive. */
export function derivePasswordKey(password: string, salt: Buffer, params: ScryptParams, mayRefuse = true): Promise<Buffer> {
  const normalized = password.normalize('NFC')
  const hasher = shared?.hasher
  if (hasher === undefined) return deriveHere(normalized, salt, params)
  return hasher.derive({ password: normalized, salt, keyLength: KEY_LENGTH, N: params.N, r: params.r, p: params.p }, { mayRefuse })
}

/** Format: scrypt$N$r$p$salt(base64)$hash(base64), so parameters can rise later without breaking old hashes. */
export async function hashPassword(password: string, params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  // Never refused for a full queue: see PasswordHasher.derive.
  const key = await derivePasswordKey(password, salt, params, false)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [, n, r, p, saltText, hashText] = parts as [string, string, string, string, string, string]
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  if (![params.N, params.r, params.p].every((value) => Number.isSafeInteger(value) && value > 0)) return false
  if (128 * params.N * params.r > MAX_SCRYPT_MEMORY || params.p > MAX_SCRYPT_P) return false
  const expected = Buffer.from(hashText, 'base64')
  const actual = await derivePasswordKey(password, Buffer.from(saltText, 'base64'), params)
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
