// Enrollment: activating 2FA with an authenticator app (also while the
// sign-in waits for it because 2FA is enforced).
import type { EnrollmentDone, EnrollmentStart } from '../domain'
import type { ListsEvery, NoInput } from './slice'

export interface EnrollmentApi {
  startEnrollment: { input: NoInput; output: EnrollmentStart }
  confirmEnrollment: { input: { code: string }; output: EnrollmentDone }
}

export const ENROLLMENT_METHODS = ['startEnrollment', 'confirmEnrollment'] as const
const listed: ListsEvery<EnrollmentApi, typeof ENROLLMENT_METHODS> = true
void listed
