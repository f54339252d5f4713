// Account > Security: how many minutes of inactivity end a session (5 to 60).
// The app enforces it on every call (sessions.ts); each screen warns a minute before.
import { useId, useRef, useState } from 'react'
import { MAX_IDLE_TIMEOUT_MINUTES, MIN_IDLE_TIMEOUT_MINUTES } from '../../../shared/limits'
import type { ActionStatus } from '../store/action-status'
import { Field, useFocusFirstInvalid } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'

export const IDLE_TIMEOUT_FIELD_MESSAGE = `Enter whole minutes from ${MIN_IDLE_TIMEOUT_MINUTES} to ${MAX_IDLE_TIMEOUT_MINUTES}.`

interface IdleTimeoutSectionProps {
  minutes: number
  status: ActionStatus
  onSave: (minutes: number) => void
  onEdit: () => void
}

export function IdleTimeoutSection({ minutes, status, onSave, onEdit }: IdleTimeoutSectionProps) {
  const headingId = useId()
  const [text, setText] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const value = text ?? String(minutes)
  const fieldError = problem ?? (status.field === 'minutes' ? status.error : null)
  useFocusFirstInvalid(formRef, fieldError)
  const changed = value.trim() !== String(minutes)
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Idle timeout</h2>
      <form
        ref={formRef}
        className="form"
        noValidate
        aria-label="Idle timeout"
        onSubmit={(event) => {
          event.preventDefault()
          const parsed = /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : NaN
          if (!(parsed >= MIN_IDLE_TIMEOUT_MINUTES && parsed <= MAX_IDLE_TIMEOUT_MINUTES)) {
            setProblem(IDLE_TIMEOUT_FIELD_MESSAGE)
            return
          }
          setProblem(null)
          onSave(parsed)
        }}
      >
        <Field
          label="Sign out after (minutes without activity)"
          type="number"
          inputMode="numeric"
          min={MIN_IDLE_TIMEOUT_MINUTES}
          max={MAX_IDLE_TIMEOUT_MINUTES}
          step={1}
          className="field-minutes"
          value={value}
          onChange={(next) => {
            setText(next)
            setProblem(null)
            onEdit()
          }}
          error={fieldError}
          hint={`From ${MIN_IDLE_TIMEOUT_MINUTES} to ${MAX_IDLE_TIMEOUT_MINUTES} minutes, for every user. A minute before, the screen warns and offers to stay signed in.`}
        />
        {status.field === 'minutes' ? null : <ErrorMessage message={status.error} />}
        <SuccessMessage message={status.success} />
        <div>
          <button type="submit" className="button button-primary" disabled={status.pending || !changed}>
            Save idle timeout
          </button>
        </div>
      </form>
    </section>
  )
}
