// User details > Security: the "Enforce 2FA activation" checkbox and Save, as the
// vendor help page describes them, plus Reset 2FA and Unlock.
import { useId, useState } from 'react'
import type { UserDetails } from '../../../shared/domain'
import { ENFORCEMENT_LABEL, lockEndText } from '../../../shared/labels'
import { ENFORCEMENT_SOURCE_LABEL, formatDateTime, plural } from '../lib/format'
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
  onSave: (enforce: boolean) => void
  onReset: () => void
  onUnlock: () => void
}

export function UserSecuritySection({ user, save, reset, unlock, onSave, onReset, onUnlock }: UserSecuritySectionProps) {
  const noteId = useId()
  // null until the admin changes the checkbox: until then it follows the user as last fetched.
  const [edited, setEdited] = useState<boolean | null>(null)
  const enforce = edited ?? user.enforced
  const alwaysEnforced = user.enforcementSource === 'role'
  return (
    <section className="card" aria-labelledby="security-heading">
      <h2 id="security-heading">Security</h2>

      <StatusLine status={user.status}>
        <span className="muted"> · {ENFORCEMENT_SOURCE_LABEL[user.enforcementSource]}</span>
      </StatusLine>

      <form
        className="form"
        aria-label="Enforcement"
        onSubmit={(event) => {
          event.preventDefault()
          onSave(enforce)
        }}
      >
        <label className="checkbox">
          <input
            type="checkbox"
            checked={alwaysEnforced ? true : enforce}
            disabled={alwaysEnforced}
            aria-describedby={noteId}
            onChange={(event) => setEdited(event.target.checked)}
          />
          {ENFORCEMENT_LABEL.forUser}
        </label>
        <p className="field-hint" id={noteId}>
          {alwaysEnforced
            ? 'Administrators always have 2FA enforced.'
            : 'When checked, the user has to activate 2FA at their next login and can no longer deactivate it.'}
        </p>
        <div>
          <button type="submit" className="button button-primary" disabled={save.pending || alwaysEnforced}>
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
    </section>
  )
}
