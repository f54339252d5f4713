// The hint under a new-password field: the app's own rule (src/shared/password-policy.ts,
// which the core enforces on every path that sets a password), said as a meter and a sentence.
// The rule's dictionaries are some 8 MiB of the page's heap: they load when a new-password
// field first shows (loadPasswordJudge), not with the app.
import { MIN_PASSWORD_LENGTH } from '../../../shared/limits'
import type { judgePassword } from '../../../shared/password-policy'

export type StrengthLevel = 0 | 1 | 2 | 3 | 4
export type PasswordJudge = typeof judgePassword

export interface PasswordStrength {
  level: StrengthLevel
  label: string
  hint: string
  /** Whether the app will take it: the same answer the core gives. */
  acceptable: boolean
}

let loading: Promise<PasswordJudge> | null = null

/** The app's password rule, loaded once, on first use. */
export function loadPasswordJudge(): Promise<PasswordJudge> {
  loading ??= import('../../../shared/password-policy').then((policy) => policy.judgePassword)
  return loading
}

/** `judge` null: the rule is still loading; only the length can be said yet. */
export function passwordStrength(password: string, person: { name?: string; email?: string }, judge: PasswordJudge | null): PasswordStrength {
  if (password.length === 0) return { level: 0, label: '', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters.`, acceptable: false }
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) {
    return { level: 1, label: 'Too short', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters (${MIN_PASSWORD_LENGTH - length} more).`, acceptable: false }
  }
  if (judge === null) return { level: 0, label: '', hint: 'Checking how easy it is to guess…', acceptable: false }
  const judgement = judge(password, person)
  if (!judgement.acceptable) return { level: judgement.score >= 2 ? 2 : 1, label: 'Too easy to guess', hint: judgement.problem ?? '', acceptable: false }
  if (judgement.score === 4) return { level: 4, label: 'Strong', hint: 'Good choice.', acceptable: true }
  return { level: 3, label: 'Good', hint: judgement.suggestion ?? 'A longer passphrase would be even better.', acceptable: true }
}
