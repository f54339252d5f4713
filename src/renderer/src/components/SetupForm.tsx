// First run: create the first administrator.
import { useState } from 'react'
import { Field } from './Field'
import { ErrorMessage } from './Messages'
import { PasswordStrengthHint } from './PasswordStrengthHint'

interface SetupFormProps {
  pending: boolean
  error: string | null
  onSubmit: (input: { name: string; email: string; password: string }) => void
}

export function SetupForm({ pending, error, onSubmit }: SetupFormProps) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault()
        // Typing the same password twice is a typo check, not a rule: the app judges the password.
        if (password !== confirm) {
          setMismatch(true)
          return
        }
        setMismatch(false)
        onSubmit({ name, email, password })
      }}
    >
      <Field label="Name" value={name} onChange={setName} autoComplete="name" required autoFocus />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required />
      <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="new-password" required hint={<PasswordStrengthHint password={password} />} />
      <Field label="Confirm password" type="password" value={confirm} onChange={setConfirm} autoComplete="new-password" required />
      <ErrorMessage message={mismatch ? 'The two passwords do not match.' : error} />
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        Create administrator
      </button>
    </form>
  )
}
