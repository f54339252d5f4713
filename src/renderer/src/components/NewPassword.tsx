// A new password: a strength hint while it is typed and, where the person will
// have to remember it, typed twice. Typing it twice is a typo check, not a rule:
// the app judges the password.
import { useEffect, useMemo, useState } from 'react'
import { loadPasswordJudge, passwordStrength, type PasswordJudge } from '../lib/password-strength'
import { Field } from './Field'
import './NewPassword.css'

/** How long typing must pause before the password is judged: a judgement takes tens of milliseconds. */
const JUDGE_AFTER_MS = 200

/** The value once it has stopped changing for `delay` ms (the first value at once). */
function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay)
    return () => clearTimeout(timer)
  }, [value, delay])
  return settled
}

/** The app's password rule once it has loaded (null until then). */
function usePasswordJudge(): PasswordJudge | null {
  const [judge, setJudge] = useState<PasswordJudge | null>(null)
  useEffect(() => {
    let shown = true
    void loadPasswordJudge().then((loaded) => {
      if (shown) setJudge(() => loaded)
    })
    return () => {
      shown = false
    }
  }, [])
  return judge
}

/** A meter and a sentence under a new-password input: the app's own rule, judged when typing pauses. */
export function PasswordStrengthHint({ password, person }: { password: string; person?: { name?: string; email?: string } }) {
  const settled = useSettled(password, JUDGE_AFTER_MS)
  const judge = usePasswordJudge()
  const name = person?.name
  const email = person?.email
  const strength = useMemo(() => passwordStrength(settled, { name, email }, judge), [settled, name, email, judge])
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

export function NewPasswordField({
  label,
  value,
  onChange,
  person,
  error
}: {
  label: string
  value: string
  onChange: (value: string) => void
  /** Whose password it is: it must not lean on their own name or email. */
  person?: { name?: string; email?: string }
  /** Why the app refused it (too weak, too short), shown under it. */
  error?: string | null
}) {
  return (
    <Field
      label={label}
      type="password"
      value={value}
      onChange={onChange}
      autoComplete="new-password"
      required
      error={error}
      hint={<PasswordStrengthHint password={value} person={person} />}
    />
  )
}

/** The message of a confirmation that does not match, under the confirmation field. */
export const PASSWORD_MISMATCH_MESSAGE = 'The two passwords do not match.'

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

export function NewPasswordFields({
  password,
  label,
  confirmLabel,
  person,
  error
}: {
  password: NewPassword
  label: string
  confirmLabel: string
  person?: { name?: string; email?: string }
  /** Why the app refused the new password, under the first field (the mismatch goes under the second). */
  error?: string | null
}) {
  return (
    <>
      <NewPasswordField label={label} value={password.value} onChange={password.setValue} person={person} error={error} />
      <Field
        label={confirmLabel}
        type="password"
        value={password.confirmation}
        onChange={password.setConfirmation}
        autoComplete="new-password"
        required
        error={password.mismatch ? PASSWORD_MISMATCH_MESSAGE : null}
      />
    </>
  )
}
