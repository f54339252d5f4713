// My account: change the own password.
import { useState } from 'react'
import { Field } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'
import { PasswordStrengthHint } from './PasswordStrengthHint'

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
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  return (
    <form
      className="form form-narrow"
      aria-label="Change password"
      onSubmit={(event) => {
        event.preventDefault()
        if (next !== confirm) {
          setMismatch(true)
          return
        }
        setMismatch(false)
        void onSubmit(current, next).then((ok) => {
          if (ok) {
            setCurrent('')
            setNext('')
            setConfirm('')
          }
        })
      }}
    >
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Field label="Current password" type="password" value={current} onChange={setCurrent} autoComplete="current-password" required />
      <Field label="New password" type="password" value={next} onChange={setNext} autoComplete="new-password" required hint={<PasswordStrengthHint password={next} />} />
      <Field label="Confirm new password" type="password" value={confirm} onChange={setConfirm} autoComplete="new-password" required />
      <ErrorMessage message={mismatch ? 'The two new passwords do not match.' : error} />
      <SuccessMessage message={success} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          Change password
        </button>
      </div>
    </form>
  )
}
