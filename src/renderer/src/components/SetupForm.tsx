// First run: create the first administrator.
import { useState } from 'react'
import { Field } from './Field'
import { ErrorMessage } from './Messages'
import { NewPasswordFields, useNewPassword } from './NewPassword'

interface SetupFormProps {
  pending: boolean
  error: string | null
  onSubmit: (input: { name: string; email: string; password: string }) => void
}

export function SetupForm({ pending, error, onSubmit }: SetupFormProps) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const password = useNewPassword()
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault()
        if (password.check()) onSubmit({ name, email, password: password.value })
      }}
    >
      <Field label="Name" value={name} onChange={setName} autoComplete="name" required autoFocus />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required />
      <NewPasswordFields password={password} label="Password" confirmLabel="Confirm password" person={{ name, email }} />
      <ErrorMessage message={password.mismatch ? 'The two passwords do not match.' : error} />
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        Create administrator
      </button>
    </form>
  )
}
