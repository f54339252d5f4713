// Temporary access passes: a time-limited secret an administrator issues to a
// user who lost their phone or never had a password. It is typed where the
// password goes (login) and opens a restricted session that can only set a
// first password and activate 2FA.
import type { AuthStep, IssuedTemporaryPass, UserDetails } from '../domain'
import type { ListsEvery } from './slice'

/** How long a pass lasts, in whole hours: from 1 hour to 30 days. */
export const TEMPORARY_PASS_MIN_HOURS = 1
export const TEMPORARY_PASS_MAX_HOURS = 30 * 24
export const TEMPORARY_PASS_DEFAULT_HOURS = 8

export interface IssueTemporaryPassInput {
  userId: number
  /** Default TEMPORARY_PASS_DEFAULT_HOURS. */
  hours?: number
  /** Default true: used up by the sign-in that uses it. A multi-use pass lasts until it expires or 2FA is activated. */
  singleUse?: boolean
}

export interface TemporaryPassApi {
  /**
   * Issues a pass for the user, revoking the one they had: the pass is in this
   * answer only, never again. Needs a recent re-authentication (admins).
   */
  issueTemporaryPass: { input: IssueTemporaryPassInput; output: IssuedTemporaryPass }
  /** Revokes the user's pass; a session it opened ends at its next call. */
  revokeTemporaryPass: { input: { userId: number }; output: UserDetails }
  /** In a session opened with a pass: the user's first password (never for directory users). */
  setFirstPassword: { input: { password: string }; output: AuthStep }
}

export const TEMPORARY_PASS_METHODS = ['issueTemporaryPass', 'revokeTemporaryPass', 'setFirstPassword'] as const
const listed: ListsEvery<TemporaryPassApi, typeof TEMPORARY_PASS_METHODS> = true
void listed
