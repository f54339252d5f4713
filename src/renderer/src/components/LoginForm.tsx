// Log in: email and password, then (for active 2FA) a code or a recovery code.
import { useRef, useState } from 'react'
import { CodeField, Field, useFocusFirstInvalid } from './Field'
import { ErrorMessage } from './Messages'

interface LoginFormProps {
  pending: boolean
  error: string | null
  /** The field the app's error is about (email, password); an error about both (wrong email or password) goes under the form. */
  errorField?: string | null
  initialEmail: string
  onSubmit: (email: string, password: string) => void
}

export function LoginForm({ pending, error, errorField = null, initialEmail, onSubmit }: LoginFormProps) {
  const [email, setEmail] = useState(initialEmail)
  const [password, setPassword] = useState('')
  const formRef = useRef<HTMLFormElement>(null)
  const atField = errorField === 'email' || errorField === 'password'
  useFocusFirstInvalid(formRef, atField ? error : null)
  return (
    <form
      ref={formRef}
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit(email, password)
      }}
    >
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required autoFocus={!initialEmail} error={errorField === 'email' ? error : null} />
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
        autoFocus={!!initialEmail}
        error={errorField === 'password' ? error : null}
      />
      {atField ? null : <ErrorMessage message={error} />}
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        Log in
      </button>
    </form>
  )
}

interface SecondFactorFormProps {
  pending: boolean
  error: string | null
  /** The account was locked by too many wrong codes: this one message, and nothing to verify (Back to Log in). */
  locked?: string | null
  onVerifyCode: (code: string) => void
  onVerifyRecoveryCode: (code: string) => void
  onModeChange: () => void
  onCancel: () => void
}

export function SecondFactorForm({ pending, error, locked = null, onVerifyCode, onVerifyRecoveryCode, onModeChange, onCancel }: SecondFactorFormProps) {
  const [mode, setMode] = useState<'code' | 'recovery'>('code')
  const formRef = useRef<HTMLFormElement>(null)
  // A wrong code is this form's one field's error: shown there, and the focus goes back to it.
  const codeError = locked === null ? error : null
  useFocusFirstInvalid(formRef, codeError)
  const [code, setCode] = useState('')
  const [recoveryCode, setRecoveryCode] = useState('')
  const switchMode = (next: 'code' | 'recovery') => {
    setMode(next)
    onModeChange()
  }
  return (
    <form
      ref={formRef}
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if (locked !== null) return
        if (mode === 'code') onVerifyCode(code)
        else onVerifyRecoveryCode(recoveryCode)
      }}
    >
      {mode === 'code' ? (
        <>
          <p className="muted">Open your authenticator app and enter the current code.</p>
          <CodeField value={code} onChange={setCode} autoFocus disabled={locked !== null} error={codeError} />
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
            error={codeError}
          />
        </>
      )}
      <ErrorMessage message={locked} />
      <button type="submit" className="button button-primary button-block" disabled={pending || locked !== null}>
        Verify
      </button>
      <div className="form-links">
        {locked !== null ? null : mode === 'code' ? (
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
