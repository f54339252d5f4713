// Account > Groups > a group: Enforce 2FA for this group, or Change deadline
// once it is enforced. "Users have N days to activate 2FA" (0: at their next
// login), then previewEnforcement's exact counts before enforcing. Pure.
import { useRef, useState, useId } from 'react'
import { DAY_MS, MAX_GRACE_DAYS, type GroupSummary } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { enforcePreviewText, graceDeadlineText } from '../lib/group-wording'
import { formatDate, plural } from '../lib/format'
import type { GroupCheck } from '../store/slices/group-details'
import { Dialog, DialogActions } from './Dialog'
import { FieldError, useFocusOn } from './GroupDialogs'
import { ErrorMessage, Loading } from './Messages'
import './Groups.css'

/** The core's words (schemas/enforcement.ts), for any days it would refuse. */
export const GRACE_DAYS_MESSAGE = `Enter whole days from 0 to ${MAX_GRACE_DAYS}.`

/** "Users have N days to activate 2FA": the number inside the sentence, which is its accessible name. */
export function GraceDaysField({ value, onChange, problem, now }: { value: string; onChange: (value: string) => void; problem: string | null; now: number }) {
  const id = useId()
  const days = parseGraceDays(value)
  return (
    <div className="field">
      <div className="grace-days">
        <span id={`${id}-before`}>Users have</span>
        <input
          id={id}
          name="graceDays"
          type="number"
          inputMode="numeric"
          // No min or max: the browser's own bubble would stand in for the message tied to the field.
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-labelledby={`${id}-before ${id} ${id}-after`}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
          data-autofocus
        />
        <span id={`${id}-after`}>days to activate 2FA</span>
      </div>
      <span className="field-hint" id={`${id}-hint`}>
        {days === null ? `From 0 (at their next login) to ${MAX_GRACE_DAYS}.` : days === 0 ? '0: they have to activate 2FA at their next login.' : `Activation due by ${formatDate(now + days * DAY_MS)}; until then they can still log in without 2FA.`}
      </span>
      <FieldError id={`${id}-error`} message={problem} />
    </div>
  )
}

export function parseGraceDays(value: string): number | null {
  if (!/^\d{1,3}$/.test(value.trim())) return null
  const days = Number(value.trim())
  return days <= MAX_GRACE_DAYS ? days : null
}

/** Change deadline: who it concerns, and the deadline before and after. */
function changedDeadlineText(group: GroupSummary, graceDays: number, now: number): string {
  const was = group.deadline !== null && group.deadline > now ? `by ${formatDate(group.deadline)}` : 'at their next login'
  const pending = group.distribution.pending
  if (pending === 0) return `No member is waiting to activate 2FA now. The new deadline (${graceDeadlineText(graceDays, now)}) applies to members who have to activate it later.`
  return `${plural(pending, 'member has', 'members have')} not activated 2FA yet. They will have to activate it ${graceDeadlineText(graceDays, now)} (until now: ${was}).`
}

interface EnforceGroupDialogProps {
  group: GroupSummary
  now: number
  checked: GroupCheck | null
  checking: boolean
  checkError: string | null
  pending: boolean
  error: string | null
  onCheck: (graceDays: number) => void
  onBack: () => void
  onConfirm: (graceDays: number) => void
  onCancel: () => void
}

/** Enforce 2FA for this group, or (already enforced) Change deadline. */
export function EnforceGroupDialog({ group, now, checked, checking, checkError, pending, error, onCheck, onBack, onConfirm, onCancel }: EnforceGroupDialogProps) {
  const remaining = group.enforced && group.deadline !== null && group.deadline > now ? Math.ceil((group.deadline - now) / DAY_MS) : 0
  const [value, setValue] = useState(String(remaining))
  const [problem, setProblem] = useState<string | null>(null)
  const bodyRef = useRef<HTMLDivElement>(null)
  const days = parseGraceDays(value)
  const check = checked?.kind === 'enforce' && checked.graceDays === days ? checked : null
  useFocusOn(bodyRef, 'graceDays', problem)
  const name = visibleText(group.name)
  const title = group.enforced ? `Change the deadline for ${name}` : `Enforce 2FA for ${name}`

  const submit = () => {
    if (check) {
      onConfirm(check.graceDays)
      return
    }
    if (days === null) {
      setProblem(GRACE_DAYS_MESSAGE)
      bodyRef.current?.querySelector<HTMLElement>('[name="graceDays"]')?.focus()
      return
    }
    onCheck(days)
  }

  const actions = check ? (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="button" onClick={onBack}>
        Back
      </button>
      <button type="submit" className="button button-primary" disabled={pending} data-autofocus>
        {group.enforced ? 'Change deadline' : 'Enforce 2FA'}
      </button>
    </>
  ) : (
    <DialogActions onCancel={onCancel} confirmLabel="Continue" pending={checking} />
  )

  return (
    <Dialog title={title} onClose={onCancel} onSubmit={submit} actions={actions} focusKey={check ? 'confirm' : 'choose'}>
      <div className="group-form" ref={bodyRef}>
        {check ? (
          <div className="group-effect" role="status">
            {group.enforced ? (
              <>
                <p>
                  <strong>{changedDeadlineText(group, check.graceDays, now)}</strong>
                </p>
                {check.preview.newlyOverdue > 0 ? (
                  <p>{`${plural(check.preview.newlyOverdue, 'member')} will be overdue at once: they have to activate 2FA at their next login.`}</p>
                ) : null}
                {check.preview.willHaveToActivate > 0 ? <p>{enforcePreviewText(check.preview)}</p> : null}
              </>
            ) : (
              <>
                <p>
                  <strong>{enforcePreviewText(check.preview)}</strong>
                </p>
                <p>{`Members without 2FA have to activate it ${graceDeadlineText(check.graceDays, now)}${check.graceDays > 0 ? ` (${plural(check.graceDays, 'day')} from now)` : ''}.`}</p>
                <ul className="consequences">
                  <li>
                    {check.graceDays > 0 ? `After ${formatDate(now + check.graceDays * DAY_MS)}, users` : 'Users'} will not be able to log in if they don&apos;t activate 2FA.
                  </li>
                  <li>Users will not be able to deactivate 2FA for their personal accounts anymore.</li>
                </ul>
              </>
            )}
          </div>
        ) : (
          <>
            {group.enforced ? null : <p>Before you enforce 2FA, make sure that the members have one of the supported authenticator apps.</p>}
            <GraceDaysField
              value={value}
              onChange={(next) => {
                setValue(next)
                setProblem(null)
              }}
              problem={problem}
              now={now}
            />
            <ErrorMessage message={checkError} />
            {checking ? <Loading label="Counting who this concerns…" /> : null}
          </>
        )}
        <ErrorMessage message={error} />
      </div>
    </Dialog>
  )
}
