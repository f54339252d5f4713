// The "Add user" form, shown in a dialog from Account > Users.
import { useState } from 'react'
import type { Role } from '../../../shared/domain'
import { ROLE_LABEL } from '../lib/format'
import { Dialog, DialogActions } from './Dialog'
import { ErrorMessage } from './Messages'
import { Field } from './Field'
import { NewPasswordField } from './NewPassword'

interface AddUserDialogProps {
  pending: boolean
  error: string | null
  onSubmit: (input: { name: string; email: string; role: Role; password: string }) => void
  onCancel: () => void
}

export function AddUserDialog({ pending, error, onSubmit, onCancel }: AddUserDialogProps) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('user')
  const [password, setPassword] = useState('')
  return (
    <Dialog
      title="Add user"
      onClose={onCancel}
      onSubmit={() => onSubmit({ name, email, role, password })}
      actions={<DialogActions onCancel={onCancel} confirmLabel="Create user" pending={pending} />}
    >
      <Field label="Name" value={name} onChange={setName} autoComplete="off" required data-autofocus />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="off" required />
      <div className="field">
        <label htmlFor="add-user-role">Role</label>
        <select id="add-user-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          <option value="user">{ROLE_LABEL.user}</option>
          <option value="admin">{ROLE_LABEL.admin}</option>
        </select>
      </div>
      <NewPasswordField label="Initial password" value={password} onChange={setPassword} person={{ name, email }} />
      <p className="muted small">Give the password to the user in person; they can change it in My account.</p>
      <ErrorMessage message={error} />
    </Dialog>
  )
}
