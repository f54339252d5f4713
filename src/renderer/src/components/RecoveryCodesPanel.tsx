// Recovery codes, shown once: copy them, save them as text, print them, confirm,
// continue. The same panel after activating 2FA and after regenerating the codes.
import { useState } from 'react'
import { copyText, downloadText, recoveryCodesText } from '../lib/recovery-codes'
import { PrintRecoveryCodesButton, RecoveryCodesPrintSheet } from './RecoveryCodesPrintSheet'
import './RecoveryCodesPanel.css'

interface RecoveryCodesPanelProps {
  codes: readonly string[]
  /** The signed-in email, written into the copied or saved text. */
  account: string
  /** Whose codes they are, printed on the sheet with the email. */
  name: string
  onContinue: () => void
  continueLabel?: string
}

const FILE_NAME = '2fa-admin-recovery-codes.txt'

export function RecoveryCodesPanel({ codes, account, name, onContinue, continueLabel = 'Continue' }: RecoveryCodesPanelProps) {
  const [saved, setSaved] = useState(false)
  // The codes were made just before they were shown: the sheet says when.
  const [shownAt] = useState(() => Date.now())
  // One status line for the last of Copy and Save as text: each says what it did.
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed' | 'saved'>('idle')
  return (
    <section className="recovery-codes" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">Save your recovery codes</h2>
      <p>
        If you lose your phone, each of these codes lets you log in once instead of an authentication code. Keep them somewhere safe, such as a
        password manager. <strong>They are shown only now.</strong>
      </p>
      <ol className="recovery-code-list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            void copyText(recoveryCodesText(codes, account)).then((ok) => setCopyState(ok ? 'copied' : 'failed'))
          }}
        >
          Copy
        </button>
        <button type="button" className="button" onClick={() => {
            downloadText(FILE_NAME, recoveryCodesText(codes, account))
            setCopyState('saved')
          }}
        >
          Save as text
        </button>
        <PrintRecoveryCodesButton />
        <span className="inline-status" role="status">
          {copyState === 'copied'
            ? 'Copied to the clipboard.'
            : copyState === 'failed'
              ? 'Copying failed: select the codes and copy them by hand.'
              : copyState === 'saved'
                ? `Saved as a text file: ${FILE_NAME}.`
                : ''}
        </span>
      </div>
      <form
        className="recovery-confirm"
        onSubmit={(event) => {
          event.preventDefault()
          if (saved) onContinue()
        }}
      >
        <label className="checkbox">
          <input type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />
          I have saved my recovery codes
        </label>
        <button type="submit" className="button button-primary" disabled={!saved}>
          {continueLabel}
        </button>
      </form>
      <RecoveryCodesPrintSheet name={name} email={account} codes={codes} createdAt={shownAt} />
    </section>
  )
}
