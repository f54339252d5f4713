// Where a sign-in stands, as the screens see it: the AuthStep of a session.
import type { AuthStep } from '../../../shared/domain'
import type { UserRecord } from '../../db/users-repo'
import type { SessionStage } from '../sessions'
import { toMe } from '../users/user-views'

export function authStep(stage: SessionStage, user: UserRecord): AuthStep {
  if (stage === 'second-factor') return { step: 'second-factor', email: user.email }
  if (stage === 'enrollment') return { step: 'enrollment-required', me: toMe(user) }
  return { step: 'signed-in', me: toMe(user) }
}
