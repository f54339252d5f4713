// The end of a hand-over at the desk: the administrator takes the screen back
// with their own password or a code, so the person who was enrolling cannot.
import { useState } from 'react'
import { CodeField, Field } from './Field'
import { ErrorMessage } from './Messages'

interface AdminUnlockFormProps {
  admin: string
  pending: boolean
  error: string | null
  onUnlock: (answer: { password: string } | { code: string }) => void
  onModeChange: () => void
}

export function AdminUnlockForm({ admin, pending, error, onUnlock, onModeChange }: AdminUnlockFormProps) {
  const [method, setMethod] = useState<'password' | 'code'>('password')
  const [secret, setSecret] = useState('')
  const switchTo = (next: 'password' | 'code') => {
    setMethod(next)
    setSecret('')
    onModeChange()
  }
  return (
    <form
      className="form"
      aria-label="Unlock"
      onSubmit={(event) => {
        event.preventDefault()
        onUnlock(method === 'password' ? { password: secret } : { code: secret })
      }}
    >
      <p>
        Hand the screen back to <strong>{admin}</strong>. Only their own password or authentication code unlocks it.
      </p>
      {method === 'password' ? (
        <Field key="password" label="Administrator password" type="password" autoComplete="current-password" required value={secret} onChange={setSecret} autoFocus />
      ) : (
        <CodeField key="code" value={secret} onChange={setSecret} hint="The current code from the administrator's authenticator app." autoFocus />
      )}
      <ErrorMessage message={error} />
      <button type="submit" className="button button-primary button-block" disabled={pending || secret.length === 0}>
        Unlock
      </button>
      <div className="form-links">
        <button type="button" className="link-button" onClick={() => switchTo(method === 'password' ? 'code' : 'password')}>
          {method === 'password' ? 'Use an authentication code instead' : 'Use the password instead'}
        </button>
      </div>
    </form>
  )
}
