// The "Add user" form, shown in a dialog from Account > Users: "Enforce 2FA
// activation" (checked unless the policy or the role already enforces), and a
// typed initial password or one the app generates and shows once afterwards.
import { useId, useRef, useState } from 'react'
import type { CreateUserInput } from '../../../shared/contract'
import type { Role } from '../../../shared/domain'
import { ENFORCEMENT_LABEL } from '../../../shared/labels'
import { ROLE_LABEL } from '../lib/format'
import { Dialog, DialogActions } from './Dialog'
import { ErrorMessage } from './Messages'
import { Field, useFocusFirstInvalid } from './Field'
import { NewPasswordField } from './NewPassword'

interface AddUserDialogProps {
  pending: boolean
  error: string | null
  /** The field the app's error is about (name, email, password): shown there. */
  errorField?: string | null
  /** Whether "Enforce 2FA for all users" is on (null while not known): then the policy enforces already. */
  enforcedForAll?: boolean | null
  onSubmit: (input: CreateUserInput) => void
  onCancel: () => void
}

const FIELDS = ['name', 'email', 'password']

/** Why the checkbox cannot be changed (it is enforced anyway), or null when it can. */
function enforcedAnyway(role: Role, enforcedForAll: boolean | null): string | null {
  if (role === 'admin') return 'Administrators always have 2FA enforced.'
  if (enforcedForAll === true) return '2FA is enforced for all users (Account > Security), so this user has to activate it too.'
  return null
}

export function AddUserDialog({ pending, error, errorField = null, enforcedForAll = null, onSubmit, onCancel }: AddUserDialogProps) {
  const enforceNoteId = useId()
  const generateNoteId = useId()
  const [enforce, setEnforce] = useState(true)
  const [generate, setGenerate] = useState(false)
  const bodyRef = useRef<HTMLDivElement>(null)
  const atField = errorField !== null && FIELDS.includes(errorField)
  const at = (field: string) => (errorField === field ? error : null)
  useFocusFirstInvalid(bodyRef, atField ? error : null)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('user')
  const [password, setPassword] = useState('')
  return (
    <Dialog
      title="Add user"
      onClose={onCancel}
      onSubmit={() => {
        const fixed = enforcedAnyway(role, enforcedForAll) !== null
        onSubmit({ name, email, role, ...(generate ? { generatePassword: true } : { password }), ...(fixed ? {} : { enforce }) })
      }}
      actions={<DialogActions onCancel={onCancel} confirmLabel="Create user" pending={pending} />}
    >
      <div className="form" ref={bodyRef}>
      <Field label="Name" value={name} onChange={setName} autoComplete="off" required data-autofocus error={at('name')} />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="off" required error={at('email')} />
      <div className="field">
        <label htmlFor="add-user-role">Role</label>
        <select id="add-user-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          <option value="user">{ROLE_LABEL.user}</option>
          <option value="admin">{ROLE_LABEL.admin}</option>
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enforcedAnyway(role, enforcedForAll) !== null || enforce}
          disabled={enforcedAnyway(role, enforcedForAll) !== null}
          aria-describedby={enforceNoteId}
          onChange={(event) => setEnforce(event.target.checked)}
        />
        {ENFORCEMENT_LABEL.forUser}
      </label>
      <p className="field-hint" id={enforceNoteId}>
        {enforcedAnyway(role, enforcedForAll) ?? 'When checked, the user has to activate 2FA at their first login and can no longer deactivate it.'}
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={generate} aria-describedby={generateNoteId} onChange={(event) => setGenerate(event.target.checked)} />
        Generate a strong password
      </label>
      <p className="field-hint" id={generateNoteId}>
        {generate ? 'The app makes one and shows it once, right after the user is created.' : 'Or type an initial password below.'}
      </p>
      {generate ? (
        at('password') ? <ErrorMessage message={at('password')} /> : null
      ) : (
        <NewPasswordField label="Initial password" value={password} onChange={setPassword} person={{ name, email }} error={at('password')} />
      )}
      <p className="muted small">Give the password to the user in person; they can change it in My account.</p>
      {atField ? null : <ErrorMessage message={error} />}
      </div>
    </Dialog>
  )
}
