// Log in: email and password, then (for active 2FA) a code or a recovery code.
import { useState } from 'react'
import { CodeField, Field } from './Field'
import { ErrorMessage } from './Messages'

interface LoginFormProps {
  pending: boolean
  error: string | null
  initialEmail: string
  onSubmit: (email: string, password: string) => void
}

export function LoginForm({ pending, error, initialEmail, onSubmit }: LoginFormProps) {
  const [email, setEmail] = useState(initialEmail)
  const [password, setPassword] = useState('')
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit(email, password)
      }}
    >
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required autoFocus={!initialEmail} />
      <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required autoFocus={!!initialEmail} />
      <ErrorMessage message={error} />
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        Log in
      </button>
    </form>
  )
}

interface SecondFactorFormProps {
  pending: boolean
  error: string | null
  onVerifyCode: (code: string) => void
  onVerifyRecoveryCode: (code: string) => void
  onModeChange: () => void
  onCancel: () => void
}

export function SecondFactorForm({ pending, error, onVerifyCode, onVerifyRecoveryCode, onModeChange, onCancel }: SecondFactorFormProps) {
  const [mode, setMode] = useState<'code' | 'recovery'>('code')
  const [code, setCode] = useState('')
  const [recoveryCode, setRecoveryCode] = useState('')
  const switchMode = (next: 'code' | 'recovery') => {
    setMode(next)
    onModeChange()
  }
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault()
        if (mode === 'code') onVerifyCode(code)
        else onVerifyRecoveryCode(recoveryCode)
      }}
    >
      {mode === 'code' ? (
        <>
          <p className="muted">Open your authenticator app and enter the current code.</p>
          <CodeField value={code} onChange={setCode} autoFocus />
        </>
      ) : (
        <>
          <p className="muted">Enter one of the recovery codes you saved when you activated 2FA. Each code works once.</p>
          <Field
            label="Recovery code"
            value={recoveryCode}
            onChange={setRecoveryCode}
            className="field-code"
            autoComplete="off"
            spellCheck={false}
            placeholder="abcde-12345"
            maxLength={32}
            required
            autoFocus
          />
        </>
      )}
      <ErrorMessage message={error} />
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        Verify
      </button>
      <div className="form-links">
        {mode === 'code' ? (
          <button type="button" className="link-button" onClick={() => switchMode('recovery')}>
            Use a recovery code instead
          </button>
        ) : (
          <button type="button" className="link-button" onClick={() => switchMode('code')}>
            Use an authentication code instead
          </button>
        )}
        <button type="button" className="link-button" onClick={onCancel}>
          Back to Log in
        </button>
      </div>
    </form>
  )
}
