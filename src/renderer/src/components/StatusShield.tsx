// The shield in the 2FA column: red (not active), orange with exclamation mark
// (enforced, activation pending), green with check mark (active). Focusable, with
// a tooltip on hover and on keyboard focus; Escape hides the tooltip.
import { useId, useState, type ReactNode } from 'react'
import type { TwoFactorStatus } from '../../../shared/domain'
import shieldGreen from '../assets/shield-green.svg'
import shieldOrange from '../assets/shield-orange.svg'
import shieldRed from '../assets/shield-red.svg'
import { STATUS_LABEL } from '../../../shared/labels'
import './StatusShield.css'

const SHIELD_SRC: Record<TwoFactorStatus, string> = { active: shieldGreen, pending: shieldOrange, inactive: shieldRed }

export function ShieldImage({ status, size = 20 }: { status: TwoFactorStatus; size?: number }) {
  return <img className="shield-image" src={SHIELD_SRC[status]} width={size} height={size} alt="" aria-hidden="true" draggable={false} />
}

/** The status in words beside its shield, and what else there is to say about it. */
export function StatusLine({ status, children }: { status: TwoFactorStatus; children?: ReactNode }) {
  return (
    <div className="status-line">
      <ShieldImage status={status} size={24} />
      <div>
        <strong>{STATUS_LABEL[status]}</strong>
        {children}
      </div>
    </div>
  )
}

interface StatusShieldProps {
  status: TwoFactorStatus
  /** Lines for the tooltip, below the status itself. */
  details: readonly string[]
  size?: number
  /** Which edge of the icon the tooltip lines up with. */
  align?: 'start' | 'end'
}

export function StatusShield({ status, details, size = 20, align = 'end' }: StatusShieldProps) {
  const tooltipId = useId()
  const [dismissed, setDismissed] = useState(false)
  return (
    <span
      className={`status-shield${dismissed ? ' tooltip-dismissed' : ''}`}
      onMouseLeave={() => setDismissed(false)}
      onBlur={() => setDismissed(false)}
    >
      <span
        className="status-shield-target"
        role="img"
        aria-label={STATUS_LABEL[status]}
        aria-describedby={tooltipId}
        tabIndex={0}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDismissed(true)
        }}
      >
        <ShieldImage status={status} size={size} />
      </span>
      <span id={tooltipId} role="tooltip" className={`tooltip tooltip-${align}`}>
        <strong className="tooltip-title">{STATUS_LABEL[status]}</strong>
        {details.map((line) => (
          <span key={line} className="tooltip-line">
            {line}
          </span>
        ))}
      </span>
    </span>
  )
}
