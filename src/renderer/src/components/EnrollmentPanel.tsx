// Activate 2FA, step by step: an app, the QR code (or the key by hand), a code.
import { useState } from 'react'
import type { EnrollmentStart } from '../../../shared/domain'
import { formatTime } from '../lib/format'
import { CodeField } from './Field'
import { ErrorMessage } from './Messages'
import './EnrollmentPanel.css'

export const AUTHENTICATOR_APPS = ['Google Authenticator', 'Microsoft Authenticator', 'Authy', '1Password', 'FreeOTP'] as const

interface EnrollmentPanelProps {
  start: EnrollmentStart
  pending: boolean
  error: string | null
  onActivate: (code: string) => void
}

export function EnrollmentPanel({ start, pending, error, onActivate }: EnrollmentPanelProps) {
  const [code, setCode] = useState('')
  return (
    <div className="enrollment">
      <ol className="enrollment-steps">
        <li className="enrollment-step">
          <h2>Install an authenticator app</h2>
          <p>Any app that supports time-based one-time passwords (TOTP) works, for example:</p>
          <ul className="app-list" aria-label="Supported authenticator apps">
            {AUTHENTICATOR_APPS.map((app) => (
              <li key={app}>{app}</li>
            ))}
          </ul>
        </li>
        <li className="enrollment-step">
          <h2>Scan the QR code</h2>
          <div className="qr-row">
            {/* Shown at its own pixel size: scaling a QR code blurs its modules. */}
            <img className="qr-code" alt="QR code for your authenticator app" src={start.qrDataUrl} />
            <div className="manual-key">
              <p>Cannot scan it? Enter this key in the app instead:</p>
              <p className="secret-key" role="group" aria-label="Secret key">
                {start.secretGroups.map((group, index) => (
                  <code key={index}>{group}</code>
                ))}
              </p>
              <dl className="key-facts">
                <dt>Account</dt>
                <dd>{start.accountName}</dd>
                <dt>Issuer</dt>
                <dd>{start.issuer}</dd>
                <dt>Type</dt>
                <dd>
                  Time-based, {start.digits} digits, every {start.period} seconds ({start.algorithm})
                </dd>
              </dl>
            </div>
          </div>
        </li>
        <li className="enrollment-step">
          <h2>Enter the code from the app</h2>
          <form
            className="form-inline"
            onSubmit={(event) => {
              event.preventDefault()
              onActivate(code)
            }}
          >
            <CodeField value={code} onChange={setCode} />
            <button type="submit" className="button button-primary" disabled={pending}>
              Activate 2FA
            </button>
          </form>
          <ErrorMessage message={error} />
          <p className="muted small">This setup is valid until {formatTime(start.expiresAt)}.</p>
        </li>
      </ol>
    </div>
  )
}
