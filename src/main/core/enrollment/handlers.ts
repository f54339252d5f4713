// Enrollment: a new TOTP secret shown once as a QR code, kept encrypted until
// the person confirms it with a code from their app; then 2FA is active and
// they receive their recovery codes, also shown once.
import QRCode from 'qrcode'
import type { EnrollmentApi } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as totpRepo from '../../db/totp-repo'
import * as usersRepo from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { encryptSecret } from '../crypto/secrets'
import { base32Encode, DEFAULT_TOTP, groupsOfFour, ISSUER, newSecret, otpauthUri } from '../crypto/totp'
import { requireSession } from '../guards'
import type { HandlersFor } from '../handlers'
import { confirmEnrollmentCodeOrFail, newRecoveryCodes } from '../second-factor'
import { assertNotLocked } from '../lockout'
import type { SessionStage } from '../sessions'
import { authStep } from '../sign-in/auth-step'
import { endPassOnActivation } from '../temporary-pass/pass-check'
import { mustFindUser } from '../users/user-views'

export const ENROLLMENT_TTL_MS = 10 * 60 * 1000

/** Who may enroll: a sign-in waiting for it, a signed-in person, a temporary access pass, a user at the admin's desk. */
const ENROLLING: readonly SessionStage[] = ['enrollment', 'signed-in', 'temporary-pass', 'in-person-enroll']
/**
 * A temporary access pass and the admin's desk are for a lost phone too: their
 * enrollment replaces an active authenticator, and only once its first code is right.
 */
const REPLACES_AUTHENTICATOR: readonly SessionStage[] = ['temporary-pass', 'in-person-enroll']

function alreadyActive(): AppError {
  return new AppError('ALREADY_ACTIVE', '2FA is already active for your account.')
}

export function enrollmentHandlers(ctx: CoreContext) {
  return {
    async startEnrollment(caller) {
      const { session, user } = requireSession(ctx, caller, ENROLLING)
      const replaces = REPLACES_AUTHENTICATOR.includes(session.stage)
      if (user.activeSince !== null && !replaces) throw alreadyActive()
      assertNotLocked(ctx, user.id)
      const now = ctx.clock.now()
      const secret = newSecret()
      const config = DEFAULT_TOTP
      const key = ctx.dataKey.get()
      writeTransaction(ctx.db, () => {
        // Checked again inside the transaction: another process may have activated 2FA for this person meanwhile.
        if (!replaces && totpRepo.findCredential(ctx.db, user.id)) throw alreadyActive()
        totpRepo.deleteExpiredEnrollments(ctx.db, now)
        totpRepo.upsertEnrollment(ctx.db, {
          userId: user.id,
          secretEnc: encryptSecret(key, user.id, secret),
          ...config,
          createdAt: now,
          expiresAt: now + ENROLLMENT_TTL_MS
        })
      })
      const uri = otpauthUri(secret, user.email, config)
      return {
        qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
        otpauthUri: uri,
        secretGroups: groupsOfFour(base32Encode(secret)),
        issuer: ISSUER,
        accountName: user.email,
        ...config,
        expiresAt: now + ENROLLMENT_TTL_MS
      }
    },

    async confirmEnrollment(caller, input) {
      const { session, user } = requireSession(ctx, caller, ENROLLING)
      const replaces = REPLACES_AUTHENTICATOR.includes(session.stage)
      if (user.activeSince !== null && !replaces) throw alreadyActive()
      const now = ctx.clock.now()
      const enrollment = totpRepo.findEnrollment(ctx.db, user.id)
      if (!enrollment || enrollment.expiresAt <= now) {
        throw new AppError('ENROLLMENT_EXPIRED', 'The QR code expired after 10 minutes. Start again to get a new one.')
      }
      const recovery = newRecoveryCodes(ctx.dataKey.get(), user.id)
      const completesSignIn = session.stage === 'enrollment' || session.stage === 'temporary-pass'
      // At the admin's desk the enrollment ends the user's part; the screen goes back to the admin's unlock, never signed in as them.
      const atDesk = session.stage === 'in-person-enroll'
      // The first code is a guess like any other: reserved with the lockout, the lock re-checked as 2FA is activated.
      let replacedAny = false
      confirmEnrollmentCodeOrFail(ctx, user, enrollment.secretEnc, enrollment, input.code, (step) => {
        // Checked again inside the transaction: another window or process may have
        // confirmed, or started over, this person's enrollment since it was read.
        const replaced = totpRepo.findCredential(ctx.db, user.id) !== null
        if (replaced && !replaces) throw alreadyActive()
        const current = totpRepo.findEnrollment(ctx.db, user.id)
        if (!current || !current.secretEnc.equals(enrollment.secretEnc)) {
          throw new AppError('ENROLLMENT_EXPIRED', 'This QR code was replaced or used elsewhere. Start again to get a new one.')
        }
        if (replaced) totpRepo.deleteCredential(ctx.db, user.id)
        replacedAny = replaced
        totpRepo.insertCredential(ctx.db, {
          userId: user.id,
          secretEnc: enrollment.secretEnc,
          algorithm: enrollment.algorithm,
          digits: enrollment.digits,
          period: enrollment.period,
          confirmedAt: now,
          // The confirming code's step counts as used: it cannot sign in a second time.
          lastUsedStep: step
        })
        totpRepo.deleteEnrollment(ctx.db, user.id)
        totpRepo.replaceRecoveryCodes(ctx.db, user.id, recovery.hashes)
        if (completesSignIn) usersRepo.recordSecondFactorLogin(ctx.db, user.id, now)
        appendAudit(ctx.db, now, {
          actor: user.email,
          action: '2fa.enrolled',
          target: user.email,
          ...(replaces ? { details: { via: atDesk ? 'in-person' : 'temporary-pass', replaced } } : {})
        })
        endPassOnActivation(ctx, user, now)
        if (completesSignIn) {
          appendAudit(ctx.db, now, { actor: user.email, action: 'login.success', target: user.email, details: { secondFactor: true, enrolled: true } })
        }
      })
      // A replaced authenticator is a lost device, as with Reset 2FA: the sessions signed in with it end now.
      if (replacedAny) ctx.sessions.deleteForUser(user.id, session.id)
      if (atDesk) ctx.sessions.setStage(session.id, 'in-person-done')
      else ctx.sessions.completeSecondFactor(session.id, now)
      const stage = atDesk ? 'in-person-done' : 'signed-in'
      return { recoveryCodes: recovery.codes, session: authStep(stage, mustFindUser(ctx, user.id), session) }
    }
  } satisfies HandlersFor<EnrollmentApi>
}
