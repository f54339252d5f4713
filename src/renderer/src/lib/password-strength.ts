// A hint while typing a new password. The rule itself (minimum length) is the
// main process's; this only helps people pick a better one.
import { MIN_PASSWORD_LENGTH } from '../../../shared/limits'

export type StrengthLevel = 0 | 1 | 2 | 3 | 4

export interface PasswordStrength {
  level: StrengthLevel
  label: string
  hint: string
}

const COMMON = /^(password|passwort|qwerty|letmein|welcome|admin|123456|abc123|iloveyou)/i

export function passwordStrength(password: string): PasswordStrength {
  if (password.length === 0) return { level: 0, label: '', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters.` }
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { level: 1, label: 'Too short', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters (${MIN_PASSWORD_LENGTH - password.length} more).` }
  }
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  const distinct = new Set(password).size
  if (COMMON.test(password) || distinct < 5) return { level: 1, label: 'Weak', hint: 'Avoid common words and repeated characters.' }
  const score = (password.length >= 16 ? 2 : password.length >= 12 ? 1 : 0) + (classes >= 3 ? 1 : 0) + (classes === 4 ? 1 : 0)
  if (score >= 3) return { level: 4, label: 'Strong', hint: 'Good choice.' }
  if (score === 2) return { level: 3, label: 'Good', hint: 'A longer passphrase would be even better.' }
  return { level: 2, label: 'Fair', hint: 'Longer is stronger: try a passphrase of several words.' }
}
