// First run: create the first administrator.
import { useRef, useState } from 'react'
import { Field, useFocusFirstInvalid } from './Field'
import { ErrorMessage } from './Messages'
import { NewPasswordFields, useNewPassword } from './NewPassword'

interface SetupFormProps {
  pending: boolean
  error: string | null
  /** The field the app's error is about (name, email, password): it is shown there. */
  errorField?: string | null
  onSubmit: (input: { name: string; email: string; password: string }) => void
  /** A new attempt: the app's last answer no longer describes the form (a mismatch is then the one error). */
  onAttempt?: () => void
}

export function SetupForm({ pending, error, errorField = null, onSubmit, onAttempt }: SetupFormProps) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const password = useNewPassword()
  const formRef = useRef<HTMLFormElement>(null)
  const at = (field: string) => (errorField === field ? error : null)
  const atField = errorField === 'name' || errorField === 'email' || errorField === 'password'
  useFocusFirstInvalid(formRef, password.mismatch || (atField ? error : null))
  return (
    <form
      ref={formRef}
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        onAttempt?.()
        if (password.check()) onSubmit({ name, email, password: password.value })
      }}
    >
      <Field label="Name" value={name} onChange={setName} autoComplete="name" required autoFocus error={at('name')} />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required error={at('email')} />
      <NewPasswordFields password={password} label="Password" confirmLabel="Confirm password" person={{ name, email }} error={at('password')} />
      {atField ? null : <ErrorMessage message={error} />}
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        Create administrator
      </button>
    </form>
  )
}
