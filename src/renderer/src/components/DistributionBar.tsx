// The 2FA distribution as a horizontal stacked bar with a legend. Each segment
// and legend item opens the Users table filtered to that status.
import type { Distribution, TwoFactorStatus } from '../../../shared/domain'
import { STATUS_LABEL } from '../../../shared/labels'
import { distributionShares, plural } from '../lib/format'
import { ShieldImage } from './StatusShield'
import './DistributionBar.css'

interface DistributionBarProps {
  distribution: Distribution
  onSelect: (status: TwoFactorStatus) => void
}

export function DistributionBar({ distribution, onSelect }: DistributionBarProps) {
  const shares = distributionShares(distribution)
  const total = shares.reduce((sum, share) => sum + share.count, 0)
  return (
    <div className="distribution">
      {total === 0 ? (
        <div className="distribution-bar distribution-bar-empty">No users yet</div>
      ) : (
        // The legend below carries the same numbers for keyboards and screen readers;
        // the bar is a picture and a shortcut for the mouse.
        <div className="distribution-bar" aria-hidden="true">
          {shares
            .filter((share) => share.count > 0)
            .map((share) => (
              <button
                key={share.status}
                type="button"
                tabIndex={-1}
                className={`distribution-segment segment-${share.status}`}
                style={{ width: `${share.fraction}%` }}
                title={`${STATUS_LABEL[share.status]}: ${plural(share.count, 'user')} (${share.percent}%)`}
                onClick={() => onSelect(share.status)}
              >
                {share.fraction >= 8 ? `${share.percent}%` : null}
              </button>
            ))}
        </div>
      )}
      <ul className="distribution-legend" aria-label={`2FA distribution among ${plural(total, 'user')}`}>
        {shares.map((share) => (
          <li key={share.status}>
            <button type="button" className="legend-item" onClick={() => onSelect(share.status)}>
              <ShieldImage status={share.status} size={18} />
              <span className="legend-label">{STATUS_LABEL[share.status]}</span>
              <span className="legend-count">{plural(share.count, 'user')}</span>
              <span className="legend-percent">{share.percent}%</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
