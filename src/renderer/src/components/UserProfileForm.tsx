// User details: the profile fields (name, role, disabled).
import { useState } from 'react'
import type { Role, UserDetails } from '../../../shared/domain'
import { ROLE_LABEL } from '../lib/format'
import { Field } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'

interface UserProfileFormProps {
  user: UserDetails
  pending: boolean
  error: string | null
  success: string | null
  onSave: (input: { name: string; role: Role; disabled: boolean }) => void
}

type ProfileFields = { name: string; role: Role; disabled: boolean }

export function UserProfileForm({ user, pending, error, success, onSave }: UserProfileFormProps) {
  // Only what the admin edited is held here; every other field shows the user as last fetched,
  // so a change made elsewhere shows without overwriting an edit not yet saved.
  const [edits, setEdits] = useState<Partial<ProfileFields>>({})
  const edit = (fields: Partial<ProfileFields>) => setEdits((current) => ({ ...current, ...fields }))
  const name = edits.name ?? user.name
  const role = edits.role ?? user.role
  const disabled = edits.disabled ?? user.disabled
  const changed = name !== user.name || role !== user.role || disabled !== user.disabled
  return (
    <form
      className="form"
      aria-label="Profile"
      onSubmit={(event) => {
        event.preventDefault()
        onSave({ name, role, disabled })
      }}
    >
      <div className="form-grid">
        {user.source === 'ldap' ? (
          <Field label="Name" value={user.name} onChange={() => {}} readOnly hint="From the directory: change it there, and the next sync brings it here." />
        ) : (
          <Field label="Name" value={name} onChange={(value) => edit({ name: value })} autoComplete="off" required />
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
      <ErrorMessage message={error} />
      <SuccessMessage message={success} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending || !changed}>
          Save profile
        </button>
      </div>
    </form>
  )
}
