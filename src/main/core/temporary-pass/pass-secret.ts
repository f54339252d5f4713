// The pass itself: 16 characters from an alphabet without look-alikes (about 79
// bits), shown as four groups of four. Being random and high-entropy it needs no
// slow hash: SHA-256 bound to the user, compared in constant time.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const LENGTH = 16
const SHAPE = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`)

export function newTemporaryPass(): string {
  let pass = ''
  for (let i = 0; i < LENGTH; i++) pass += ALPHABET[randomInt(ALPHABET.length)]
  return pass.match(/.{4}/g)!.join('-')
}

/** As typed (any case, with or without the dashes and spaces), or null when it cannot be a pass at all. */
export function normalizeTemporaryPass(typed: string): string | null {
  const normalized = typed.replace(/[\s-]/g, '').toLowerCase()
  return SHAPE.test(normalized) ? normalized : null
}

/** The stored form of a pass (normalised), bound to its user: copied onto another user's row it matches nothing. */
export function hashTemporaryPass(userId: number, pass: string): string {
  return createHash('sha256').update(`twofa-admin:temporary-pass:${userId}:${normalizeTemporaryPass(pass) ?? pass}`).digest('hex')
}

/** Whether `typed` is the pass stored as `storedHash`, in constant time. */
export function temporaryPassMatches(storedHash: string, userId: number, typed: string): boolean {
  if (normalizeTemporaryPass(typed) === null) return false
  const stored = Buffer.from(storedHash, 'hex')
  const candidate = Buffer.from(hashTemporaryPass(userId, typed), 'hex')
  return stored.length === candidate.length && timingSafeEqual(stored, candidate)
}
