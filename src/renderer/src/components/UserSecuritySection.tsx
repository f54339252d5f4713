// User details > Security: the "Enforce 2FA activation" checkbox and Save, as the
// vendor help page describes them, plus Reset 2FA and Unlock.
import { useId, useState, type ReactNode } from 'react'
import { DAY_MS, MAX_GRACE_DAYS, type UserDetails } from '../../../shared/domain'
import { ENFORCEMENT_LABEL, lockEndText } from '../../../shared/labels'
import { deadlineLine, ENFORCEMENT_SOURCE_LABEL, formatDate, formatDateTime, plural } from '../lib/format'
import { ErrorMessage, SuccessMessage } from './Messages'
import { StatusLine } from './StatusShield'

interface ActionState {
  pending: boolean
  error: string | null
  success: string | null
}

interface UserSecuritySectionProps {
  user: UserDetails
  save: ActionState
  reset: ActionState
  unlock: ActionState
  /** graceDays: days the user has to activate (given when enforcing; 0 = at the next login). */
  onSave: (enforce: boolean, graceDays?: number) => void
  onReset: () => void
  onUnlock: () => void
  /** The admin changed the form: the last Save's message no longer describes what is on screen. */
  onEdit?: () => void
  /** More of the section at its end: the temporary access pass and Enroll in person (TemporaryPassSection). */
  children?: ReactNode
}

export function UserSecuritySection({ user, save, reset, unlock, onSave, onReset, onUnlock, onEdit, children }: UserSecuritySectionProps) {
  const noteId = useId()
  // null until the admin changes the checkbox: until then it follows the user as last fetched.
  const [edited, setEdited] = useState<boolean | null>(null)
  const enforce = edited ?? user.enforced
  const alwaysEnforced = user.enforcementSource === 'role'
  const graceId = useId()
  const [graceDays, setGraceDays] = useState('0')
  const [graceEdited, setGraceEdited] = useState(false)
  // The grace period goes with a new enforcement (or a new deadline for the user's own one).
  const asksGrace = !alwaysEnforced && enforce && user.status !== 'active' && (!user.enforced || user.enforcementSource === 'individual')
  const graceValue = /^\d{1,3}$/.test(graceDays) && Number(graceDays) <= MAX_GRACE_DAYS ? Number(graceDays) : null
  // Save saves a change: a new checkbox value, or new days for the user's own enforcement. With none, nothing to save (and nothing to report).
  const changed = enforce !== user.enforced || (asksGrace && user.enforcementSource === 'individual' && graceEdited)
  return (
    <section className="card" aria-labelledby="security-heading">
      <h2 id="security-heading">Security</h2>

      <StatusLine status={user.status}>
        <span className="muted"> · {ENFORCEMENT_SOURCE_LABEL[user.enforcementSource]}</span>
        {user.status === 'pending' ? <span className={user.overdue ? 'deadline deadline-overdue' : 'deadline'}> · {deadlineLine(user)}</span> : null}
      </StatusLine>

      <form
        className="form"
        aria-label="Enforcement"
        onSubmit={(event) => {
          event.preventDefault()
          if (!changed || (asksGrace && graceValue === null)) return
          onSave(enforce, asksGrace && (graceValue ?? 0) > 0 ? (graceValue ?? 0) : user.enforcementSource === 'individual' && asksGrace ? 0 : undefined)
        }}
      >
        <label className="checkbox">
          <input
            type="checkbox"
            checked={alwaysEnforced ? true : enforce}
            disabled={alwaysEnforced}
            aria-describedby={noteId}
            onChange={(event) => {
              setEdited(event.target.checked)
              onEdit?.()
            }}
          />
          {ENFORCEMENT_LABEL.forUser}
        </label>
        <p className="field-hint" id={noteId}>
          {alwaysEnforced
            ? `${ENFORCEMENT_SOURCE_LABEL.role}.`
            : 'When checked, the user has to activate 2FA at their next login and can no longer deactivate it.'}
        </p>
        {asksGrace ? (
          <div className="field field-inline">
            <label htmlFor={graceId}>Users have</label>
            <input
              id={graceId}
              type="number"
              min={0}
              max={MAX_GRACE_DAYS}
              step={1}
              inputMode="numeric"
              className="input-days"
              value={graceDays}
              aria-invalid={graceValue === null}
              aria-describedby={`${graceId}-hint`}
              onChange={(event) => {
                setGraceDays(event.target.value)
                setGraceEdited(true)
                onEdit?.()
              }}
            />
            <span>days to activate 2FA</span>
            <p className={graceValue === null ? 'field-error' : 'field-hint'} id={`${graceId}-hint`}>
              {graceValue === null ? `Enter whole days from 0 to ${MAX_GRACE_DAYS}.` : graceValue === 0 ? '0: activation at the next login.' : `Activation due by ${formatDate(Date.now() + graceValue * DAY_MS)}.`}
            </p>
          </div>
        ) : null}
        <div>
          <button type="submit" className="button button-primary" disabled={save.pending || alwaysEnforced || !changed || (asksGrace && graceValue === null)}>
            Save
          </button>
        </div>
        <ErrorMessage message={save.error} />
        <SuccessMessage message={save.success} />
      </form>

      <dl className="facts">
        <dt>Active since</dt>
        <dd>{formatDateTime(user.activeSince, '—')}</dd>
        <dt>Last successful 2FA login</dt>
        <dd>{formatDateTime(user.lastTwoFactorLoginAt)}</dd>
        <dt>Recovery codes left</dt>
        <dd>{user.status === 'active' ? user.recoveryCodesRemaining : '—'}</dd>
        <dt>Enforcement last changed</dt>
        <dd>{user.enforcementChangedAt ? `${formatDateTime(user.enforcementChangedAt)}${user.enforcementChangedBy ? ` by ${user.enforcementChangedBy}` : ''}` : '—'}</dd>
        <dt>Failed attempts</dt>
        <dd>{user.failedAttempts}</dd>
      </dl>

      <div className="danger-zone">
        <div className="danger-row">
          <div>
            <h3>Reset 2FA</h3>
            <p className="muted">
              {user.status === 'active'
                ? 'For a lost or replaced phone: removes the user’s authenticator and recovery codes so they can set up 2FA again.'
                : 'Available while 2FA is active: for a lost or replaced phone.'}
            </p>
          </div>
          <button type="button" className="button button-danger-outline" onClick={onReset} disabled={user.status !== 'active' || reset.pending}>
            Reset 2FA
          </button>
        </div>
        <ErrorMessage message={reset.error} />
        <SuccessMessage message={reset.success} />

        {user.locked ? (
          <div className="danger-row">
            <div>
              <h3>Account locked</h3>
              <p className="muted">
                Locked after {plural(user.failedAttempts, 'failed attempt')}
                {user.lockedUntil === null ? '' : ` ${lockEndText(user.lockedUntil, formatDateTime)}`}.
              </p>
            </div>
            <button type="button" className="button" onClick={onUnlock} disabled={unlock.pending}>
              Unlock
            </button>
          </div>
        ) : null}
        <ErrorMessage message={unlock.error} />
        <SuccessMessage message={unlock.success} />
      </div>
      {children}
    </section>
  )
}
