// A labelled input with an optional hint. The label is a real <label> so that
// tests and screen readers find the input by its name.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react'

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> {
  label: string
  value: string
  onChange: (value: string) => void
  hint?: ReactNode
}

export function Field({ label, value, onChange, hint, className, ...input }: FieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={hint ? hintId : undefined}
        {...input}
      />
      {hint ? (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
    </div>
  )
}

/** The one-time code from an authenticator app. */
export function CodeField({ label = 'Authentication code', ...field }: Omit<FieldProps, 'label'> & { label?: string }) {
  return (
    <Field
      label={label}
      className="field-code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={11}
      placeholder="123 456"
      spellCheck={false}
      required
      {...field}
    />
  )
}
