// User details > Profile: where the account comes from and its password.
// Imported users have no password yet ("No password yet"): an administrator
// sets one. Directory users sign in with their directory password, which this
// app never holds. Pure: the user and the action's state come in as props.
import { useId, useRef, useState } from 'react'
import type { UserDetails, UserSource } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { Dialog, DialogActions } from './Dialog'
import { useFocusFirstInvalid } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'
import { NewPasswordField } from './NewPassword'
import './UserPasswordSection.css'

export const SOURCE_LABEL: Record<UserSource, string> = {
  local: 'Added in 2FA Admin',
  csv: 'Imported from CSV',
  ldap: 'From the directory'
}

interface ActionState {
  pending: boolean
  error: string | null
  success: string | null
}

type PasswordFacts = Pick<UserDetails, 'name' | 'source' | 'hasPassword' | 'directoryDn'>

/** What the section says of the password, and whether an administrator can set it here. */
export function passwordState(user: PasswordFacts): { state: string; note: string; action: 'Set password' | 'Change password' | null } {
  const name = visibleText(user.name)
  if (user.source === 'ldap') return { state: 'Signs in with their directory password', note: 'Change it in the directory; this app never holds it.', action: null }
  if (!user.hasPassword) return { state: 'No password yet', note: `Nobody can sign in as ${name} until an administrator sets a password or issues a temporary access pass.`, action: 'Set password' }
  return { state: 'Set', note: `${name} can change it in My account.`, action: 'Change password' }
}

interface UserPasswordSectionProps {
  user: PasswordFacts
  status: ActionState
  onSetPassword: () => void
}

export function UserPasswordSection({ user, status, onSetPassword }: UserPasswordSectionProps) {
  const headingId = useId()
  const { state, note, action } = passwordState(user)
  return (
    <section className="password-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Sign-in</h3>
      <dl className="facts password-facts">
        <dt>Account</dt>
        <dd>{SOURCE_LABEL[user.source]}</dd>
        {user.source === 'ldap' && user.directoryDn ? (
          <>
            <dt>Directory entry</dt>
            <dd>
              <code className="directory-dn">
                {/* A long DN wraps after a comma, between its parts. */}
                {visibleText(user.directoryDn)
                  .split(',')
                  .map((part, index) => (
                    <span key={index}>
                      {index > 0 ? ',' : ''}
                      {index > 0 ? <wbr /> : null}
                      {part}
                    </span>
                  ))}
              </code>
            </dd>
          </>
        ) : null}
        <dt>Password</dt>
        <dd>
          <strong className={user.source !== 'ldap' && !user.hasPassword ? 'password-missing' : undefined}>{state}</strong>
        </dd>
      </dl>
      <div className="action-row">
        <p className="muted">{note}</p>
        {action ? (
          <button type="button" className={user.hasPassword ? 'button' : 'button button-primary'} onClick={onSetPassword} disabled={status.pending}>
            {action}
          </button>
        ) : null}
      </div>
      <SuccessMessage message={status.success} />
    </section>
  )
}

interface SetPasswordDialogProps {
  user: Pick<UserDetails, 'name' | 'email' | 'hasPassword'>
  pending: boolean
  error: string | null
  /** The field the app's error is about (password: too weak, or not settable here): shown under it. */
  errorField?: string | null
  onSubmit: (password: string) => void
  /** "Generate a strong password" chosen: the app makes one, shown once afterwards. */
  onGenerate?: () => void
  onCancel: () => void
}

/** The new password an administrator gives a user, judged as the user's own would be, or one the app generates. */
export function SetPasswordDialog({ user, pending, error, errorField = null, onSubmit, onGenerate, onCancel }: SetPasswordDialogProps) {
  const [password, setPassword] = useState('')
  const [generate, setGenerate] = useState(false)
  const generateNoteId = useId()
  const bodyRef = useRef<HTMLDivElement>(null)
  const atField = errorField === 'password'
  useFocusFirstInvalid(bodyRef, atField ? error : null)
  const name = visibleText(user.name)
  const label = user.hasPassword ? 'Change password' : 'Set password'
  return (
    <Dialog
      title={user.hasPassword ? `Change the password of ${name}` : `Set a password for ${name}`}
      onClose={onCancel}
      onSubmit={() => (generate && onGenerate ? onGenerate() : onSubmit(password))}
      actions={<DialogActions onCancel={onCancel} confirmLabel={label} pending={pending} />}
    >
      <div className="form" ref={bodyRef}>
        {onGenerate ? (
          <>
            <label className="checkbox">
              <input type="checkbox" checked={generate} aria-describedby={generateNoteId} onChange={(event) => setGenerate(event.target.checked)} />
              Generate a strong password
            </label>
            <p className="field-hint" id={generateNoteId}>
              {generate ? 'The app makes one and shows it once, right after it is set.' : 'Or type the new password below.'}
            </p>
          </>
        ) : null}
        {generate ? (
          atField ? <ErrorMessage message={error} /> : null
        ) : (
          <NewPasswordField label="New password" value={password} onChange={setPassword} person={{ name: user.name, email: user.email }} error={atField ? error : null} />
        )}
        <p className="muted small">
          Give it to {name} in person; they can change it in My account.
          {user.hasPassword ? ' Wherever they are signed in, they are signed out.' : ''}
        </p>
        {atField ? null : <ErrorMessage message={error} />}
      </div>
    </Dialog>
  )
}
