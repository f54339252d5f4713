// What makes a password acceptable, for every path that sets one (first-run
// setup, a new user, a changed password) and for the hint on screen, which
// must say the same: at least 12 characters (ASVS 2.1.1), and not guessable by
// zxcvbn (its dictionaries of common and breached passwords, names, keyboard
// patterns, repeats, dates, and the user's own name and email) below score 3.
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as zxcvbnCommon from '@zxcvbn-ts/language-common'
import * as zxcvbnEn from '@zxcvbn-ts/language-en'
import { MIN_PASSWORD_LENGTH } from './limits'

/** zxcvbn's scale: 0 too guessable ... 4 very unguessable. Below this, refused. */
export const MIN_PASSWORD_SCORE = 3

export interface PasswordJudgement {
  acceptable: boolean
  /** 0 to 4 (zxcvbn's score); 0 for one that is too short. */
  score: 0 | 1 | 2 | 3 | 4
  /** Why it is refused, for the person choosing it; null when acceptable. */
  problem: string | null
  /** How to do better (also for acceptable ones), or null. */
  suggestion: string | null
}

let zxcvbn: ZxcvbnFactory | null = null

function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
    // Past this, a password is long enough; the estimate's cost grows with the length.
    maxLength: 128
  })
  return zxcvbn
}

/** The words of the person's own name and email, which a password must not lean on. */
export function personalWords(person: { name?: string; email?: string }): string[] {
  const words = [person.name ?? '', person.email ?? '', ...(person.email ?? '').split(/[@.+_-]/), ...(person.name ?? '').split(/\s+/)]
  return [...new Set(words.map((word) => word.trim().toLowerCase()).filter((word) => word.length >= 3))]
}

export function judgePassword(password: string, person: { name?: string; email?: string } = {}): PasswordJudgement {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return { acceptable: false, score: 0, problem: `Use at least ${MIN_PASSWORD_LENGTH} characters.`, suggestion: 'A passphrase of a few unrelated words is easy to type and hard to guess.' }
  }
  const result = estimator().check(password, personalWords(person))
  const score = result.score as PasswordJudgement['score']
  const suggestion = result.feedback.suggestions[0] ?? null
  if (score >= MIN_PASSWORD_SCORE) return { acceptable: true, score, problem: null, suggestion }
  const warning = result.feedback.warning
  return {
    acceptable: false,
    score,
    problem: `This password is too easy to guess${warning ? `: ${warning.replace(/\.$/, '').toLowerCase()}` : ''}. Choose a longer or less common one.`,
    suggestion
  }
}
