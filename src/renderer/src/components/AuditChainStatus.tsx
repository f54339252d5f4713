// The state of the audit log's hash chain above its entries: intact or broken
// (where, and why), how far the entries have been checked, the last full
// verification, and a new one with its progress.
import { useId } from 'react'
import type { AuditChainStatus as ChainStatus } from '../../../shared/domain'
import { formatDateTime, plural } from '../lib/format'
import { ErrorMessage } from './Messages'
import './AuditChainStatus.css'

const count = (n: number) => n.toLocaleString('en-US')
const entries = (n: number) => plural(n, 'entry', 'entries')

function lastFullVerification(last: ChainStatus['lastFullVerification']): string {
  if (!last) return 'Never fully verified.'
  return last.valid
    ? `Last fully verified ${formatDateTime(last.at)} (${entries(last.entries)}).`
    : `The last full verification, ${formatDateTime(last.at)} (${entries(last.entries)}), found the chain broken.`
}

interface AuditChainStatusProps {
  chain: ChainStatus
  /** Asking for a full verification: pending, or why it could not start. */
  verify: { pending: boolean; error: string | null }
  onVerify: () => void
}

export function AuditChainStatus({ chain, verify, onVerify }: AuditChainStatusProps) {
  const progressId = useId()
  return (
    <section className="chain-status" aria-label="Audit chain">
      {chain.broken ? (
        <p className="banner banner-danger" role="alert">
          <strong>The audit log chain is broken at entry {count(chain.broken.at)}.</strong> {chain.broken.reason} Entries from there on cannot be trusted.
        </p>
      ) : chain.verifiedThrough >= chain.entries ? (
        <p className="banner banner-ok" role="status">
          <strong>No broken link.</strong> All {entries(chain.entries)} were checked as they were written: none was changed or removed since.
        </p>
      ) : (
        <p className="banner banner-ok" role="status">
          <strong>No broken link so far.</strong> Checked through entry {count(chain.verifiedThrough)} of {count(chain.entries)}.
        </p>
      )}
      <div className="chain-verification">
        <p className="muted">{lastFullVerification(chain.lastFullVerification)}</p>
        {chain.verifying ? (
          <div className="chain-progress">
            <label htmlFor={progressId}>
              Verifying… {count(chain.verifying.checked)} of {entries(chain.verifying.total)}
            </label>
            <progress id={progressId} max={Math.max(1, chain.verifying.total)} value={chain.verifying.checked} />
          </div>
        ) : (
          <button type="button" className="button" onClick={onVerify} disabled={verify.pending}>
            Verify the whole log
          </button>
        )}
      </div>
      <ErrorMessage message={verify.error} />
    </section>
  )
}
