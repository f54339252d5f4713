// Audit log entries, newest first, and the hash chain's state above them.
import type { ReactNode } from 'react'
import type { AuditChainState, AuditEntry } from '../../../shared/domain'
import { AUDIT_ACTION_LABEL, formatDateTime, plural } from '../lib/format'

export function ChainBanner({ chain }: { chain: AuditChainState }) {
  if (chain.valid) {
    return (
      <p className="banner banner-ok" role="status">
        <strong>Audit log verified.</strong> All {plural(chain.entries, 'entry', 'entries')} are intact: none was changed or removed.
      </p>
    )
  }
  return (
    <p className="banner banner-danger" role="alert">
      <strong>The audit log chain is broken at entry {chain.brokenAt}.</strong> {chain.reason} Entries from there on cannot be trusted.
    </p>
  )
}

function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ')
}

export function AuditTable({ entries, emptyState }: { entries: readonly AuditEntry[]; emptyState: ReactNode }) {
  return (
    <table className="data-table audit-table">
      <thead>
        <tr>
          <th scope="col" className="col-id">
            #
          </th>
          <th scope="col" className="col-time">
            Time
          </th>
          <th scope="col">Action</th>
          <th scope="col">By</th>
          <th scope="col">User</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 ? (
          <tr>
            <td colSpan={6} className="empty-cell">
              {emptyState}
            </td>
          </tr>
        ) : (
          entries.map((entry) => (
            <tr key={entry.id}>
              <td className="col-id">{entry.id}</td>
              <td className="col-time">{formatDateTime(entry.at)}</td>
              <td>
                <span className={`action action-${entry.action.split('.')[0] ?? ''}`}>{AUDIT_ACTION_LABEL[entry.action] ?? entry.action}</span>
              </td>
              <td>{entry.actor}</td>
              <td>{entry.target ?? '—'}</td>
              <td className="col-details">{formatDetails(entry.details)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
}
