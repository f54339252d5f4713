// A new password: a strength hint while it is typed and, where the person will
// have to remember it, typed twice. Typing it twice is a typo check, not a rule:
// the app judges the password.
import { useState } from 'react'
import { passwordStrength } from '../lib/password-strength'
import { Field } from './Field'
import './NewPassword.css'

/** A meter and a sentence under a new-password input. */
export function PasswordStrengthHint({ password }: { password: string }) {
  const strength = passwordStrength(password)
  return (
    <span className={`strength strength-${strength.level}`}>
      <span className="strength-meter" aria-hidden="true">
        {[1, 2, 3, 4].map((step) => (
          <span key={step} className={step <= strength.level ? 'strength-step filled' : 'strength-step'} />
        ))}
      </span>
      <span className="strength-text">
        {strength.label ? <strong>{strength.label}. </strong> : null}
        {strength.hint}
      </span>
    </span>
  )
}

export function NewPasswordField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return <Field label={label} type="password" value={value} onChange={onChange} autoComplete="new-password" required hint={<PasswordStrengthHint password={value} />} />
}

export interface NewPassword {
  value: string
  confirmation: string
  setValue: (value: string) => void
  setConfirmation: (value: string) => void
  /** Whether the two match; a mismatch stays flagged until the next check. */
  check: () => boolean
  mismatch: boolean
  clear: () => void
}

export function useNewPassword(): NewPassword {
  const [value, setValue] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [mismatch, setMismatch] = useState(false)
  return {
    value,
    confirmation,
    setValue,
    setConfirmation,
    check: () => {
      setMismatch(value !== confirmation)
      return value === confirmation
    },
    mismatch,
    clear: () => {
      setValue('')
      setConfirmation('')
      setMismatch(false)
    }
  }
}

export function NewPasswordFields({ password, label, confirmLabel }: { password: NewPassword; label: string; confirmLabel: string }) {
  return (
    <>
      <NewPasswordField label={label} value={password.value} onChange={password.setValue} />
      <Field label={confirmLabel} type="password" value={password.confirmation} onChange={password.setConfirmation} autoComplete="new-password" required />
    </>
  )
}
