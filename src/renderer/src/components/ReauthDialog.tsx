// "Confirm it's you": the password or a current code, asked again before a
// sensitive change when the last one was entered more than 5 minutes ago.
import { useState } from 'react'
import { Dialog } from './Dialog'
import { CodeField, Field } from './Field'
import { ErrorMessage } from './Messages'

export type ReauthMethod = 'code' | 'password'

interface ReauthDialogProps {
  method: ReauthMethod
  pending: boolean
  error: string | null
  onSubmit: (secret: string) => void
  onSwitchMethod: (method: ReauthMethod) => void
  onCancel: () => void
}

export function ReauthDialog({ method, pending, error, onSubmit, onSwitchMethod, onCancel }: ReauthDialogProps) {
  const [secret, setSecret] = useState('')
  const switchTo = (next: ReauthMethod) => {
    setSecret('')
    onSwitchMethod(next)
  }
  return (
    <Dialog
      title="Confirm it's you"
      onClose={onCancel}
      onSubmit={() => onSubmit(secret)}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending || secret.length === 0}>
            Confirm
          </button>
        </>
      }
    >
      <p>This is a sensitive change. You last entered your password or a code more than 5 minutes ago, so confirm it&apos;s you to continue.</p>
      {method === 'code' ? (
        <CodeField key="code" value={secret} onChange={setSecret} hint="The current code from your authenticator app." data-autofocus autoFocus />
      ) : (
        <Field key="password" label="Your password" type="password" autoComplete="current-password" required value={secret} onChange={setSecret} data-autofocus autoFocus />
      )}
      <ErrorMessage message={error} />
      <button type="button" className="link-button" onClick={() => switchTo(method === 'code' ? 'password' : 'code')}>
        {method === 'code' ? 'Use your password instead' : 'Use an authentication code instead'}
      </button>
    </Dialog>
  )
}
