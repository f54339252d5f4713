// Recovery codes on paper: whose they are, when they were made, the codes with
// a box to tick off each one used, and how to use them. Hidden on screen; when
// the page is printed (the Print button, or the browser's own print), it is
// the only thing on the paper (RecoveryCodesPrintSheet.css). Rendered at the
// top of <body>, outside the app's root, so the print rules can hide the rest.
import { createPortal } from 'react-dom'
import { formatDateTime } from '../lib/format'
import './RecoveryCodesPrintSheet.css'

export interface RecoveryCodesSheetProps {
  /** Whose codes they are: the signed-in person, or the user enrolled in person. */
  name: string
  email: string
  codes: readonly string[]
  /** When the codes were made (epoch ms). */
  createdAt: number
}

/** The sheet itself, for the portal below and for tests. */
export function RecoveryCodesSheet({ name, email, codes, createdAt }: RecoveryCodesSheetProps) {
  return (
    <article className="recovery-sheet" aria-label="Recovery codes for printing">
      <header>
        <p className="recovery-sheet-app">2FA Admin</p>
        <h1>2FA recovery codes</h1>
      </header>
      <dl className="recovery-sheet-facts">
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Email</dt>
        <dd>{email}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(createdAt)}</dd>
      </dl>
      <ol className="recovery-sheet-codes">
        {codes.map((code) => (
          <li key={code}>
            <span className="recovery-sheet-box" aria-hidden="true" />
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <section className="recovery-sheet-help">
        <h2>How to use them</h2>
        <ul>
          <li>If you cannot use your authenticator app (a lost or new phone), log in with your email and password, choose <strong>Use a recovery code instead</strong> and enter one of these codes.</li>
          <li>Each code works once. Tick it off here when you have used it.</li>
          <li>Running low, or lost this sheet? Log in and choose <strong>My account</strong> &gt; <strong>Regenerate recovery codes</strong>: you get new codes and these stop working.</li>
          <li>Keep this sheet somewhere safe and away from your phone. Anyone holding it and your password can log in as you.</li>
        </ul>
      </section>
    </article>
  )
}

/** The sheet, where printing finds it: a child of <body> while the codes are on screen. */
export function RecoveryCodesPrintSheet(props: RecoveryCodesSheetProps) {
  if (typeof document === 'undefined') return null
  return createPortal(
    <div className="recovery-print-root">
      <RecoveryCodesSheet {...props} />
    </div>,
    document.body
  )
}

/** Opens the print dialog (Electron's or the browser's), which prints only the sheet above. */
export function PrintRecoveryCodesButton() {
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      Print
    </button>
  )
}
