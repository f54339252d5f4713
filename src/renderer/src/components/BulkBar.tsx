// The bar above the Users table while rows are selected: "N selected", "Select
// all M matching this filter", Clear, and the actions on the selection. Pure.
import type { BulkAction } from '../../../shared/contract'
import { BULK_ACTION_LABEL, BULK_ACTIONS_SHOWN } from '../lib/bulk-wording'
import './BulkBar.css'

export interface BulkBarProps {
  selected: number
  /** The selection is every user the filter matches (less the unticked). */
  allMatching: boolean
  /** How many the list says match (its count), for "Select all M matching"; null: do not offer it. */
  matchingLabel: string | null
  filtered: boolean
  counting: boolean
  onSelectAllMatching: () => void
  onClear: () => void
  onAction: (action: BulkAction) => void
  onCopyInstructions: () => void
}

export function BulkBar({ selected, allMatching, matchingLabel, filtered, counting, onSelectAllMatching, onClear, onAction, onCopyInstructions }: BulkBarProps) {
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected users">
      <p className="bulk-count" aria-live="polite">
        <strong>{selected.toLocaleString('en-US')} selected</strong>
        {allMatching ? <span className="muted"> (all {filtered ? 'matching this filter' : 'users'})</span> : null}
      </p>
      {!allMatching && matchingLabel !== null ? (
        <button type="button" className="link-button" onClick={onSelectAllMatching} disabled={counting}>
          {counting ? 'Counting…' : `Select all ${matchingLabel} ${filtered ? 'matching this filter' : 'users'}`}
        </button>
      ) : null}
      <button type="button" className="link-button" onClick={onClear}>
        Clear
      </button>
      <div className="bulk-actions">
        {BULK_ACTIONS_SHOWN.map((action) => (
          <button key={action} type="button" className={action === 'disable' || action === 'resetTwoFactor' ? 'button button-small button-danger-outline' : 'button button-small'} onClick={() => onAction(action)}>
            {BULK_ACTION_LABEL[action]}
          </button>
        ))}
        <button type="button" className="button button-small" onClick={onCopyInstructions}>
          Copy instructions
        </button>
      </div>
    </div>
  )
}
