// User details > Security: a temporary access pass (whether one is active and
// until when, never the pass), Issue and Revoke, and Enroll in person. Pure: the
// user and the actions' states come in as props.
import type { TemporaryPassStatus, UserDetails } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { formatDateTime } from '../lib/format'
import { ErrorMessage, SuccessMessage } from './Messages'
import './TemporaryPassSection.css'

interface ActionState {
  pending: boolean
  error: string | null
  success: string | null
}

type PassFacts = Pick<UserDetails, 'name' | 'disabled' | 'temporaryPass' | 'hasPassword' | 'source'>

/** What the section says of the user's pass. */
export function passSummary(pass: TemporaryPassStatus | null): string {
  if (pass === null) return 'None. For a lost phone, or someone without a password: a pass they type where the password goes, to set up 2FA.'
  const use = pass.singleUse ? 'single use' : 'multi use, until 2FA is activated'
  if (pass.usedAt !== null) return `Used ${formatDateTime(pass.usedAt)}: the sign-in it opened can activate 2FA until ${formatDateTime(pass.expiresAt)}.`
  return `Active until ${formatDateTime(pass.expiresAt)} · ${use} · issued by ${visibleText(pass.issuedBy)}`
}

interface TemporaryPassSectionProps {
  user: PassFacts
  issue: ActionState
  revoke: ActionState
  inPerson: ActionState
  onIssue: () => void
  onRevoke: () => void
  onEnrollInPerson: () => void
}

export function TemporaryPassSection({ user, issue, revoke, inPerson, onIssue, onRevoke, onEnrollInPerson }: TemporaryPassSectionProps) {
  const name = visibleText(user.name)
  // Someone who cannot sign in here at all cannot prove who they are at the desk either.
  const pass = user.temporaryPass
  const canProve = user.hasPassword || user.source === 'ldap' || (pass !== null && (!pass.singleUse || pass.usedAt === null))
  return (
    <div className="danger-zone access-zone">
      <div className="danger-row">
        <div>
          <h3>Temporary access pass</h3>
          <p className="muted" data-testid="temporary-pass-state">
            {passSummary(user.temporaryPass)}
          </p>
        </div>
        <div className="button-row access-buttons">
          {user.temporaryPass !== null ? (
            <button type="button" className="button button-danger-outline" onClick={onRevoke} disabled={revoke.pending}>
              Revoke
            </button>
          ) : null}
          <button type="button" className="button" onClick={onIssue} disabled={issue.pending || user.disabled}>
            Issue temporary access pass
          </button>
        </div>
      </div>
      <ErrorMessage message={revoke.error} />
      <SuccessMessage message={revoke.success} />

      <div className="danger-row access-row-separated">
        <div>
          <h3>Enroll in person</h3>
          <p className="muted">
            {canProve
              ? `${name} sets up their authenticator at your desk. Your session is locked meanwhile; you unlock it with your own password or code.`
              : `${name} has no password: issue a temporary access pass first, to prove who they are at your desk.`}
          </p>
        </div>
        <button type="button" className="button" onClick={onEnrollInPerson} disabled={inPerson.pending || user.disabled || !canProve}>
          Enroll in person
        </button>
      </div>
      <ErrorMessage message={inPerson.error} />
    </div>
  )
}
