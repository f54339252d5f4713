// Account > Groups, the dialogs: Create group, and Add members (a dry run
// that states the exact effect, then the change); Enforce 2FA for this group
// is EnforceGroupDialog.tsx. Pure: each holds what is typed and shows what
// the app answered.
import { useEffect, useId, useRef, useState, type RefObject } from 'react'
import type { GroupSummary } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { emailListProblem, parseEmailList } from '../lib/email-list'
import { effectSentences, isAhead, membersCheckSummary } from '../lib/group-wording'
import { formatDate, plural } from '../lib/format'
import type { GroupCheck } from '../store/slices/group-details'
import { Dialog, DialogActions } from './Dialog'
import { ErrorMessage, Loading } from './Messages'
import './Groups.css'

/** The core's words (schemas/groups.ts). */
export const GROUP_NAME_MESSAGE = 'Enter a group name.'

export function FieldError({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  ) : null
}

/** Focuses the dialog's element named `name` whenever `when` changes to something. */
export function useFocusOn(ref: RefObject<HTMLElement | null>, name: string, when: unknown) {
  useEffect(() => {
    if (when) ref.current?.closest('dialog')?.querySelector<HTMLElement>(`[name="${name}"]`)?.focus()
  }, [ref, name, when])
}

export function CreateGroupDialog({ pending, error, invalidField, onSubmit, onCancel }: { pending: boolean; error: string | null; invalidField: 'name' | null; onSubmit: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const bodyRef = useRef<HTMLDivElement>(null)
  const id = useId()
  const fieldMessage = problem ?? (invalidField === 'name' ? error : null)
  useFocusOn(bodyRef, 'name', fieldMessage)

  const submit = () => {
    const trimmed = name.trim()
    if (trimmed === '') {
      setProblem(GROUP_NAME_MESSAGE)
      bodyRef.current?.querySelector<HTMLElement>('[name="name"]')?.focus()
      return
    }
    setProblem(null)
    onSubmit(trimmed)
  }

  return (
    <Dialog title="Create group" onClose={onCancel} onSubmit={submit} actions={<DialogActions onCancel={onCancel} confirmLabel="Create group" pending={pending} />}>
      <div className="group-form" ref={bodyRef}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            name="name"
            type="text"
            value={name}
            onChange={(event) => {
              setName(event.target.value)
              setProblem(null)
            }}
            placeholder="Sales"
            autoComplete="off"
            maxLength={200}
            aria-required="true"
            aria-invalid={fieldMessage ? true : undefined}
            aria-describedby={fieldMessage ? `${id}-error` : `${id}-hint`}
            data-autofocus
          />
          {fieldMessage ? <FieldError id={`${id}-error`} message={fieldMessage} /> : <span className="field-hint" id={`${id}-hint`}>A team, a department or a site, as people here call it.</span>}
        </div>
        {invalidField === 'name' ? null : <ErrorMessage message={error} />}
      </div>
    </Dialog>
  )
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((email, index) => email === b[index])

interface AddMembersDialogProps {
  group: GroupSummary
  now: number
  /** The dry run's answer, once it came. */
  checked: GroupCheck | null
  checking: boolean
  /** What the dry run said (an unknown email: the core's message). */
  checkError: string | null
  pending: boolean
  error: string | null
  onCheck: (emails: string[]) => void
  /** The list changes: the dry run no longer holds. */
  onEdit: () => void
  onConfirm: (emails: string[]) => void
  onCancel: () => void
}

export function AddMembersDialog({ group, now, checked, checking, checkError, pending, error, onCheck, onEdit, onConfirm, onCancel }: AddMembersDialogProps) {
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const bodyRef = useRef<HTMLDivElement>(null)
  const id = useId()
  const list = parseEmailList(text)
  const check = checked?.kind === 'add' && sameList(checked.emails, list.emails) ? checked : null
  const fieldMessage = problem ?? checkError
  useFocusOn(bodyRef, 'emails', fieldMessage)

  const submit = () => {
    if (check) {
      onConfirm(check.emails)
      return
    }
    const wrong = emailListProblem(list)
    setProblem(wrong)
    if (wrong) {
      bodyRef.current?.querySelector<HTMLElement>('[name="emails"]')?.focus()
      return
    }
    onCheck(list.emails)
  }

  const name = visibleText(group.name)
  const actions = check ? (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="button" onClick={onEdit}>
        Change the list
      </button>
      <button type="submit" className="button button-primary" disabled={pending || check.result.changed === 0} data-autofocus>
        {`Add ${plural(check.result.changed, 'member')}`}
      </button>
    </>
  ) : (
    <DialogActions onCancel={onCancel} confirmLabel="Check the effect" pending={checking} />
  )

  return (
    <Dialog title={`Add members to ${name}`} onClose={onCancel} onSubmit={submit} actions={actions} focusKey={check ? 'confirm' : 'edit'}>
      <div className="group-form" ref={bodyRef}>
        <div className="field">
          <label htmlFor={`${id}-emails`}>Emails</label>
          <textarea
            id={`${id}-emails`}
            name="emails"
            className="group-emails"
            rows={7}
            value={text}
            readOnly={check !== null}
            onChange={(event) => {
              setText(event.target.value)
              setProblem(null)
              if (checked || checkError) onEdit()
            }}
            placeholder={'maria.garcia@example.com\ntom.jones@example.com'}
            spellCheck={false}
            autoComplete="off"
            aria-required="true"
            aria-invalid={fieldMessage ? true : undefined}
            aria-describedby={`${id}-hint${fieldMessage ? ` ${id}-error` : ''}`}
            data-autofocus={check ? undefined : true}
          />
          <span className="field-hint" id={`${id}-hint`}>
            Paste the emails of users: one per line, or separated by commas or semicolons.
            {list.emails.length > 0 ? ` ${plural(list.emails.length, 'email')} so far.` : ''}
          </span>
          <FieldError id={`${id}-error`} message={fieldMessage} />
        </div>
        {checking ? <Loading label="Checking what this changes…" /> : null}
        {check ? (
          <div className="group-effect" role="status">
            <p>
              <strong>{membersCheckSummary(check.result, 'add')}</strong>
            </p>
            {check.result.changed > 0
              ? effectSentences(check.result.effect, group.enforced ? group.deadline : null, now).map((sentence) => <p key={sentence}>{sentence}</p>)
              : null}
            {check.result.effect.willHaveToActivate > 0 ? (
              <p className="muted">
                {group.enforced && isAhead(group.deadline, now) ? `After ${formatDate(group.deadline)}, they` : 'They'} will not be able to log in without activating 2FA, nor deactivate it afterwards.
              </p>
            ) : null}
          </div>
        ) : (
          <p className="muted small">Nothing changes yet: first you see what adding them does to who has to activate 2FA.</p>
        )}
        <ErrorMessage message={error} />
      </div>
    </Dialog>
  )
}
