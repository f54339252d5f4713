// Enrollment at the administrator's desk: the admin hands the screen to a user,
// whose own hand-over session proves who they are (password or temporary access
// pass), enrolls (startEnrollment, confirmEnrollment) and receives the recovery
// codes. Meanwhile the admin's session is locked; only the admin's own password
// or code gives the screen back.
import type { AuthStep } from '../domain'
import type { ReauthenticateInput } from './sign-in'
import type { ListsEvery, NoInput } from './slice'

export interface InPersonEnrollmentApi {
  /** Admins: locks the caller's session and opens a hand-over session for the user. Needs a recent re-authentication. */
  startInPersonEnrollment: { input: { userId: number }; output: AuthStep }
  /** The user at the desk: their password or a temporary access pass (same lockout as a sign-in). */
  identifyInPerson: { input: { secret: string }; output: AuthStep }
  /** Stops the hand-over at any step (a pending QR code is discarded); only the admin's unlock follows. */
  cancelInPersonEnrollment: { input: NoInput; output: AuthStep }
  /** The administrator's password or code: ends the hand-over and gives the admin's session back. */
  endInPersonEnrollment: { input: ReauthenticateInput; output: AuthStep }
}

export const IN_PERSON_ENROLLMENT_METHODS = ['startInPersonEnrollment', 'identifyInPerson', 'cancelInPersonEnrollment', 'endInPersonEnrollment'] as const
const listed: ListsEvery<InPersonEnrollmentApi, typeof IN_PERSON_ENROLLMENT_METHODS> = true
void listed
