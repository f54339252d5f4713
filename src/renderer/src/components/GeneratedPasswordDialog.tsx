// A password the app generated for a user (Add user, Set password), shown once:
// large and monospaced to read out, with Copy. Closing it is the last time
// anyone sees it: the app keeps only its hash and never logs it.
import { useState } from 'react'
import { visibleText } from '../../../shared/text'
import { copyText } from '../lib/recovery-codes'
import { Dialog } from './Dialog'
import './GeneratedPasswordDialog.css'

interface GeneratedPasswordDialogProps {
  /** "User added" or "New password", say. */
  title: string
  user: { name: string; email: string }
  password: string
  /** A new user's first password, or one that replaces the user's password. */
  kind: 'initial' | 'new'
  onDone: () => void
}

export function GeneratedPasswordDialog({ title, user, password, kind, onDone }: GeneratedPasswordDialogProps) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')
  const name = visibleText(user.name)
  return (
    <Dialog
      title={title}
      onClose={onDone}
      focusKey="shown"
      actions={
        <button type="button" className="button button-primary" onClick={onDone} data-autofocus>
          Done
        </button>
      }
    >
      <p>
        The {kind} password of <strong>{name}</strong> ({visibleText(user.email)}):
      </p>
      <p className="generated-password" role="group" aria-label="Generated password">
        <code>{password}</code>
      </p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void copyText(password).then((ok) => setCopied(ok ? 'copied' : 'failed'))}>
          Copy
        </button>
        <span className="inline-status" role="status">
          {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying failed: select the password and copy it by hand.' : ''}
        </span>
      </div>
      <p className="message message-warning generated-password-once">
        <strong>Shown only once.</strong> Copy it now and give it to {name} in person, never by email. After Done nobody can see it again, not even an
        administrator; {name} can change it in My account.
      </p>
    </Dialog>
  )
}
