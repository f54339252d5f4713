// Right after a sign-in with a recovery code: how many unused codes are left,
// with "Generate new recovery codes" and a dismiss. With none left the wording
// is stronger: the next lost phone would lock the person out. Pure: the count
// and the two actions come in as props.
import './RecoveryCodeNotice.css'

interface RecoveryCodeNoticeProps {
  codesLeft: number
  onGenerate: () => void
  onDismiss: () => void
}

/** What the notice says, for the count left (also what the tests read). */
export function recoveryCodeNoticeText(codesLeft: number): string {
  if (codesLeft === 0) return 'You signed in with your last recovery code. No recovery codes left: generate new ones now, or you cannot sign in if you lose your authenticator app.'
  return `You signed in with a recovery code. ${codesLeft === 1 ? '1 recovery code' : `${codesLeft} recovery codes`} left.`
}

export function RecoveryCodeNotice({ codesLeft, onGenerate, onDismiss }: RecoveryCodeNoticeProps) {
  const none = codesLeft === 0
  return (
    <div className={`message recovery-code-notice ${none ? 'message-warning recovery-code-notice-none' : 'message-info'}`} role={none ? 'alert' : 'status'} aria-label="Recovery codes">
      <div className="recovery-code-notice-text">
        <p>
          <strong>{recoveryCodeNoticeText(codesLeft)}</strong>
        </p>
        <p className="small">New codes need the current code from your authenticator app. Lost it? Ask an administrator to reset your 2FA.</p>
      </div>
      <div className="recovery-code-notice-actions">
        <button type="button" className="button button-primary" onClick={onGenerate}>
          Generate new recovery codes
        </button>
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  )
}
