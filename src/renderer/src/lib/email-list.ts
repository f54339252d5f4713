// The emails of Add members, as pasted: one per line or separated by commas or
// semicolons, with blanks and repeats dropped. Each is checked as the core
// checks it (schemas/fields.ts emailSchema), so that a typo is named here
// rather than as "emails.17" by the app; unknown users are the core's to say.
import { MAX_EMAIL_LENGTH } from '../../../shared/limits'

/** The core's rule, deliberately simple: one @, no spaces, a dot in the domain. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/

/** As the core takes them in one call (schemas/groups.ts MAX_MEMBERS_PER_CALL). */
export const MAX_EMAILS_PER_CHANGE = 10_000

export interface EmailList {
  /** Lower-cased, in the order given, each once. */
  emails: string[]
  /** Entries that are not email addresses, as typed. */
  invalid: string[]
}

export function parseEmailList(text: string): EmailList {
  const emails: string[] = []
  const seen = new Set<string>()
  const invalid: string[] = []
  for (const entry of text.split(/[\n\r,;]+/)) {
    const email = entry.trim()
    if (email === '') continue
    if (email.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(email)) {
      invalid.push(email)
      continue
    }
    const key = email.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    emails.push(key)
  }
  return { emails, invalid }
}

/** What is wrong with the list before anything is sent, or null. */
export function emailListProblem({ emails, invalid }: EmailList): string | null {
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 5).join(', ')
    const more = invalid.length > 5 ? ` and ${(invalid.length - 5).toLocaleString('en-US')} more` : ''
    return `${invalid.length === 1 ? 'This is not an email address' : 'These are not email addresses'}: ${shown}${more}. Enter addresses like name@example.com.`
  }
  if (emails.length === 0) return 'Enter at least one email address.'
  if (emails.length > MAX_EMAILS_PER_CHANGE) return `At most ${MAX_EMAILS_PER_CHANGE.toLocaleString('en-US')} members at a time: add the rest afterwards.`
  return null
}
