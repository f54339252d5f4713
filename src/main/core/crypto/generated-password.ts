// A strong initial password the core makes for an administrator to hand over:
// 20 characters drawn with crypto.randomInt (no modulo bias) from 57 that are
// hard to mistake for one another (no 0/O, 1/l/I), in four groups of five so it
// can be read out and typed: about 116 bits, far past what zxcvbn asks for.
// It is returned once to whoever asked; only its scrypt hash is kept, and it is
// never logged or audited.
import { randomInt } from 'node:crypto'
import { requireAcceptablePassword } from './passwords'

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
const GROUPS = 4
const GROUP_LENGTH = 5

/** One fresh password like `Kp7qX-r9mTa-...`; not yet judged (see generateAcceptablePassword). */
export function generatePassword(): string {
  const groups: string[] = []
  for (let g = 0; g < GROUPS; g++) {
    let group = ''
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)]
    groups.push(group)
  }
  return groups.join('-')
}

/**
 * A generated password that the password rule accepts for this person, as every
 * password set by hand must be. A random draw that the rule refuses (one that
 * happens to spell a word of the person's name, say) is drawn again; after a few
 * such draws the rule's refusal stands, which would mean a broken generator.
 */
export async function generateAcceptablePassword(person: { name?: string; email?: string }): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const password = generatePassword()
    try {
      await requireAcceptablePassword(password, person)
      return password
    } catch (error) {
      if (attempt >= 5) throw error
    }
  }
}
