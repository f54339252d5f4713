// User details: the profile fields (name, role, disabled).
import { useRef, useState } from 'react'
import type { Role, UserDetails } from '../../../shared/domain'
import { ROLE_LABEL } from '../lib/format'
import { ConfirmDialog } from './Dialog'
import { Field, useFocusFirstInvalid } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'

interface UserProfileFormProps {
  user: UserDetails
  pending: boolean
  error: string | null
  /** The field the app's error is about (name): shown there. */
  errorField?: string | null
  success: string | null
  /** This is the signed-in administrator's own account: taking away their own rights asks first. */
  isSelf?: boolean
  onSave: (input: { name: string; role: Role; disabled: boolean }) => void
}

type ProfileFields = { name: string; role: Role; disabled: boolean }

export function UserProfileForm({ user, pending, error, errorField = null, success, isSelf = false, onSave }: UserProfileFormProps) {
  // Only what the admin edited is held here; every other field shows the user as last fetched,
  // so a change made elsewhere shows without overwriting an edit not yet saved.
  const [edits, setEdits] = useState<Partial<ProfileFields>>({})
  const edit = (fields: Partial<ProfileFields>) => setEdits((current) => ({ ...current, ...fields }))
  const name = edits.name ?? user.name
  const role = edits.role ?? user.role
  const disabled = edits.disabled ?? user.disabled
  const changed = name !== user.name || role !== user.role || disabled !== user.disabled
  const [confirmingDemotion, setConfirmingDemotion] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const atField = errorField === 'name'
  useFocusFirstInvalid(formRef, atField ? error : null)
  const demotesSelf = isSelf && user.role === 'admin' && role !== 'admin'
  return (
    <>
    <form
      ref={formRef}
      noValidate
      className="form"
      aria-label="Profile"
      onSubmit={(event) => {
        event.preventDefault()
        if (demotesSelf) setConfirmingDemotion(true)
        else onSave({ name, role, disabled })
      }}
    >
      <div className="form-grid">
        {user.source === 'ldap' ? (
          <Field label="Name" value={user.name} onChange={() => {}} readOnly hint="From the directory: change it there, and the next sync brings it here." />
        ) : (
          <Field label="Name" value={name} onChange={(value) => edit({ name: value })} autoComplete="off" required error={atField ? error : null} />
        )}
        <Field label="Email" value={user.email} onChange={() => {}} readOnly hint="The email address is the login name and cannot be changed." />
        <div className="field">
          <label htmlFor={`role-${user.id}`}>Role</label>
          <select id={`role-${user.id}`} value={role} onChange={(event) => edit({ role: event.target.value as Role })}>
            <option value="user">{ROLE_LABEL.user}</option>
            <option value="admin">{ROLE_LABEL.admin}</option>
          </select>
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={disabled} onChange={(event) => edit({ disabled: event.target.checked })} />
        Account disabled (the user cannot log in)
      </label>
      {atField ? null : <ErrorMessage message={error} />}
      <SuccessMessage message={success} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending || !changed}>
          Save profile
        </button>
      </div>
    </form>
      {confirmingDemotion ? (
        <ConfirmDialog
          title="Remove your own administrator rights?"
          confirmLabel="Remove my administrator rights"
          tone="danger"
          onCancel={() => setConfirmingDemotion(false)}
          onConfirm={() => {
            setConfirmingDemotion(false)
            onSave({ name, role, disabled })
          }}
        >
          <p>You are about to change the role of your own account to {ROLE_LABEL.user}.</p>
          <p>
            You stay signed in, but you can no longer manage users, 2FA or the settings. Only another administrator can make you an administrator again.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  )
}
