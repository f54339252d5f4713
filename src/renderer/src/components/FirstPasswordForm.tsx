// The first password of someone who signed in with a temporary access pass
// (an imported user has none yet). Typed twice: they will have to remember it.
import { useRef, type FormEvent } from 'react'
import { useFocusFirstInvalid } from './Field'
import { ErrorMessage } from './Messages'
import { NewPasswordFields, useNewPassword } from './NewPassword'

interface FirstPasswordFormProps {
  person: { name: string; email: string }
  pending: boolean
  error: string | null
  /** The field the app's error is about (password: too weak): shown there. */
  errorField?: string | null
  onSubmit: (password: string) => void
}

export function FirstPasswordForm({ person, pending, error, errorField = null, onSubmit }: FirstPasswordFormProps) {
  const password = useNewPassword()
  const formRef = useRef<HTMLFormElement>(null)
  const atField = errorField === 'password'
  useFocusFirstInvalid(formRef, password.mismatch || (atField ? error : null))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (password.check()) onSubmit(password.value)
  }
  return (
    <form ref={formRef} noValidate className="form" aria-label="Set a password" onSubmit={submit}>
      <p className="muted">You have no password yet. Choose one now: from tomorrow you log in with it and a code from your authenticator app.</p>
      <NewPasswordFields password={password} label="New password" confirmLabel="Confirm password" person={person} error={atField ? error : null} />
      {atField ? null : <ErrorMessage message={error} />}
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          Set password
        </button>
      </div>
    </form>
  )
}
