// Issue a temporary access pass: how long it lasts and whether it is single use,
// then the pass itself, shown once in this dialog and never again.
import { useState } from 'react'
import { TEMPORARY_PASS_DEFAULT_HOURS } from '../../../shared/contract/temporary-pass'
import { visibleText } from '../../../shared/text'
import { formatDateTime } from '../lib/format'
import { copyText } from '../lib/recovery-codes'
import { Dialog, DialogActions } from './Dialog'
import { ErrorMessage } from './Messages'
import type { IssuedPass } from '../store/slices/temporary-pass'
import './IssueTemporaryPassDialog.css'

/** The validities offered, in hours: 1 hour to 30 days. */
export const PASS_VALIDITIES: readonly { hours: number; label: string }[] = [
  { hours: 1, label: '1 hour' },
  { hours: 4, label: '4 hours' },
  { hours: 8, label: '8 hours' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' }
]

interface IssueTemporaryPassDialogProps {
  user: { name: string; hasActivePass: boolean }
  issued: IssuedPass | null
  pending: boolean
  error: string | null
  onIssue: (hours: number, singleUse: boolean) => void
  onClose: () => void
}

export function IssueTemporaryPassDialog({ user, issued, pending, error, onIssue, onClose }: IssueTemporaryPassDialogProps) {
  const [hours, setHours] = useState(TEMPORARY_PASS_DEFAULT_HOURS)
  const [singleUse, setSingleUse] = useState(true)
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')
  const name = visibleText(user.name)
  if (issued !== null) {
    return (
      <Dialog
        title={`Temporary access pass for ${name}`}
        onClose={onClose}
        focusKey="shown"
        actions={
          <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
            Done
          </button>
        }
      >
        <p className="pass-shown" role="group" aria-label="Temporary access pass">
          <code>{issued.pass}</code>
        </p>
        <p>
          Valid until <strong>{formatDateTime(issued.status.expiresAt)}</strong>, {issued.status.singleUse ? 'for one sign-in' : 'for any number of sign-ins until 2FA is activated'}.
        </p>
        <p className="muted">
          {name} types it where the password goes on the Log in screen, then sets up 2FA. <strong>It is shown only now</strong>: give it to them in person, never by email.
        </p>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void copyText(issued.pass).then((ok) => setCopied(ok ? 'copied' : 'failed'))}>
            Copy
          </button>
          <span className="inline-status" role="status">
            {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying failed: select the pass and copy it by hand.' : ''}
          </span>
        </div>
      </Dialog>
    )
  }
  return (
    <Dialog
      title={`Issue a temporary access pass for ${name}`}
      onClose={onClose}
      onSubmit={() => onIssue(hours, singleUse)}
      actions={<DialogActions onCancel={onClose} confirmLabel="Issue pass" pending={pending} />}
    >
      <p>For a lost phone, or someone who never had a password: with the pass {name} can set a password (if they have none) and set up 2FA, nothing else.</p>
      <div className="field">
        <label htmlFor="pass-validity">Valid for</label>
        <select id="pass-validity" value={hours} onChange={(event) => setHours(Number(event.target.value))} data-autofocus>
          {PASS_VALIDITIES.map((option) => (
            <option key={option.hours} value={option.hours}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={singleUse} onChange={(event) => setSingleUse(event.target.checked)} />
        Single use (recommended): used up by the sign-in that uses it
      </label>
      {user.hasActivePass ? <p className="message message-warning">{name} has a pass already: the new one revokes it.</p> : null}
      <ErrorMessage message={error} />
    </Dialog>
  )
}
