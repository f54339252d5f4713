// A labelled input with an optional hint and error. The label is a real <label>
// so that tests and screen readers find the input by its name; an error is shown
// beside its field and tied to it (aria-invalid, aria-describedby).
import { useEffect, useId, type InputHTMLAttributes, type ReactNode, type RefObject } from 'react'

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> {
  label: string
  value: string
  onChange: (value: string) => void
  hint?: ReactNode
  /** What is wrong with this field's value, shown under it (null: nothing). */
  error?: string | null
}

export function Field({ label, value, onChange, hint, error, className, ...input }: FieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  // The error takes the hint's place while it stands: the form does not grow under a pointer about to click.
  const describedBy = error ? errorId : hint ? hintId : undefined
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      <FieldErrorText id={errorId} message={error} />
      {hint && !error ? (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
    </div>
  )
}

/** The error under a field, read out when it appears; give the field aria-describedby={id} and aria-invalid. */
export function FieldErrorText({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null
  return (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  )
}

/**
 * Moves the focus to the form's first invalid field whenever `problem` changes to
 * something (a submit the form or the app refused), so the person lands where to fix it.
 */
export function useFocusFirstInvalid(ref: RefObject<HTMLElement | null>, problem: unknown): void {
  useEffect(() => {
    if (problem) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [ref, problem])
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
