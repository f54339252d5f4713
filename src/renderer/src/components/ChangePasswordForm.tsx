// My account: change the own password.
import { useState } from 'react'
import { Field } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'
import { NewPasswordFields, useNewPassword } from './NewPassword'

interface ChangePasswordFormProps {
  /** The signed-in email, for password managers (not shown). */
  username: string
  pending: boolean
  error: string | null
  success: string | null
  onSubmit: (currentPassword: string, newPassword: string) => Promise<boolean>
}

export function ChangePasswordForm({ username, pending, error, success, onSubmit }: ChangePasswordFormProps) {
  const [current, setCurrent] = useState('')
  const next = useNewPassword()
  return (
    <form
      className="form form-narrow"
      aria-label="Change password"
      onSubmit={(event) => {
        event.preventDefault()
        if (!next.check()) return
        void onSubmit(current, next.value).then((ok) => {
          if (ok) {
            setCurrent('')
            next.clear()
          }
        })
      }}
    >
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Field label="Current password" type="password" value={current} onChange={setCurrent} autoComplete="current-password" required />
      <NewPasswordFields password={next} label="New password" confirmLabel="Confirm new password" person={{ email: username }} />
      <ErrorMessage message={next.mismatch ? 'The two new passwords do not match.' : error} />
      <SuccessMessage message={success} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          Change password
        </button>
      </div>
    </form>
  )
}
