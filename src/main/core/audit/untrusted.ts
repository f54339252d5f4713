// What an unauthenticated caller typed never goes into the audit log as typed:
// an email that has no account is recorded as a keyed hash of it, so repeated
// attempts with the same text can still be grouped, while a password typed
// into the email field, or control characters forging a log line, are not kept.
import { createHmac } from 'node:crypto'
import type { CoreContext } from '../context'

export const UNKNOWN_EMAIL_PREFIX = 'unknown email #'

export function unauthenticatedEmail(ctx: CoreContext, typed: string): string {
  const key = createHmac('sha256', ctx.dataKey.get()).update('twofa-admin:audit-unknown-email').digest()
  return `${UNKNOWN_EMAIL_PREFIX}${createHmac('sha256', key).update(typed.normalize('NFC').toLowerCase()).digest('hex').slice(0, 12)}`
}
