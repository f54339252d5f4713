// Where a sign-in stands, as the screens see it: the AuthStep of a session.
import type { AuthStep, InPersonStage } from '../../../shared/domain'
import type { UserRecord } from '../../db/users-repo'
import type { Session, SessionStage } from '../sessions'
import { toMe } from '../users/user-views'

const IN_PERSON_STAGE: Partial<Record<SessionStage, InPersonStage>> = { 'in-person-identify': 'identify', 'in-person-enroll': 'enroll', 'in-person-done': 'done' }

/**
 * `session`: the session itself, for the steps that say more than its stage (who unlocks a hand-over at the desk).
 * `activationDue`: the grace period of an enforced user without 2FA (the screen reminds them at each sign-in).
 */
export function authStep(
  stage: SessionStage,
  user: UserRecord,
  session?: Pick<Session, 'handoverOf'>,
  activationDue?: { deadline: number; daysLeft: number }
): AuthStep {
  if (stage === 'second-factor') return { step: 'second-factor', email: user.email }
  if (stage === 'enrollment') return { step: 'enrollment-required', me: toMe(user) }
  if (stage === 'temporary-pass') {
    return { step: 'temporary-pass', me: toMe(user), canSetPassword: user.source !== 'ldap' && user.passwordHash === null, replacesAuthenticator: user.activeSince !== null }
  }
  const inPerson = IN_PERSON_STAGE[stage]
  if (inPerson !== undefined) return { step: 'in-person', stage: inPerson, me: toMe(user), admin: session?.handoverOf?.admin ?? '' }
  return activationDue === undefined ? { step: 'signed-in', me: toMe(user) } : { step: 'signed-in', me: toMe(user), activationDue }
}
