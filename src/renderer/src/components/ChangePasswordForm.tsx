// My account: change the own password.
import { useRef, useState } from 'react'
import { Field, useFocusFirstInvalid } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'
import { NewPasswordFields, useNewPassword } from './NewPassword'

interface ChangePasswordFormProps {
  /** The signed-in email, for password managers (not shown). */
  username: string
  pending: boolean
  error: string | null
  /** The field the app's error is about: currentPassword (wrong), newPassword (too weak). */
  errorField?: string | null
  success: string | null
  onSubmit: (currentPassword: string, newPassword: string) => Promise<boolean>
  /** A new attempt: the app's last answer no longer describes the form (a mismatch is then the one error). */
  onAttempt?: () => void
}

export function ChangePasswordForm({ username, pending, error, errorField = null, success, onSubmit, onAttempt }: ChangePasswordFormProps) {
  const [current, setCurrent] = useState('')
  const next = useNewPassword()
  const formRef = useRef<HTMLFormElement>(null)
  const atField = errorField === 'currentPassword' || errorField === 'newPassword'
  useFocusFirstInvalid(formRef, next.mismatch || (atField ? error : null))
  return (
    <form
      ref={formRef}
      noValidate
      className="form form-narrow"
      aria-label="Change password"
      onSubmit={(event) => {
        event.preventDefault()
        onAttempt?.()
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
      <Field
        label="Current password"
        type="password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        required
        error={errorField === 'currentPassword' ? error : null}
      />
      <NewPasswordFields password={next} label="New password" confirmLabel="Confirm new password" person={{ email: username }} error={errorField === 'newPassword' ? error : null} />
      {atField ? null : <ErrorMessage message={error} />}
      <SuccessMessage message={success} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          Change password
        </button>
      </div>
    </form>
  )
}
