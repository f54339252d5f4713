// The first password of someone who signed in with a temporary access pass
// (an imported user has none yet). Typed twice: they will have to remember it.
import type { FormEvent } from 'react'
import { ErrorMessage } from './Messages'
import { NewPasswordFields, useNewPassword } from './NewPassword'

interface FirstPasswordFormProps {
  person: { name: string; email: string }
  pending: boolean
  error: string | null
  onSubmit: (password: string) => void
}

export function FirstPasswordForm({ person, pending, error, onSubmit }: FirstPasswordFormProps) {
  const password = useNewPassword()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (password.check()) onSubmit(password.value)
  }
  return (
    <form className="form" aria-label="Set a password" onSubmit={submit}>
      <p className="muted">You have no password yet. Choose one now: from tomorrow you log in with it and a code from your authenticator app.</p>
      <NewPasswordFields password={password} label="New password" confirmLabel="Confirm password" person={person} />
      <ErrorMessage message={password.mismatch ? 'The two passwords do not match.' : error} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          Set password
        </button>
      </div>
    </form>
  )
}
