// Audit log entries, newest first.
import type { ReactNode } from 'react'
import type { AuditEntry } from '../../../shared/domain'
import { AUDIT_ACTION_LABEL, formatDateTime } from '../lib/format'
import '../styles/lists.css'
import './AuditTable.css'
import { visibleText } from '../../../shared/text'

/** Detail keys that hold an instant in epoch milliseconds, shown as a date. */
const TIME_KEYS = new Set(['until', 'at', 'since', 'happenedAt'])

/** "failedAttempts" -> "failed attempts": details read as words, not identifiers. */
function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

function formatValue(key: string, value: unknown): string {
  if (TIME_KEYS.has(key) && typeof value === 'number') return formatDateTime(value)
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return JSON.stringify(value)
}

function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${words(key)}: ${formatValue(key, value)}`)
    .join(' · ')
}

const COLUMNS = [
  ['#', 'col-id'],
  ['Time', 'col-time'],
  ['Action', 'col-action'],
  ['By', 'col-person'],
  ['User', 'col-person'],
  ['Details', 'col-details']
] as const

export function AuditTable({ entries, emptyState }: { entries: readonly AuditEntry[]; emptyState: ReactNode }) {
  return (
    <table className="data-table audit-table">
      <thead>
        <tr>
          {COLUMNS.map(([label, className]) => (
            <th key={label} scope="col" className={className}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 ? (
          <tr>
            <td colSpan={COLUMNS.length} className="empty-cell">
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
              <td>{visibleText(entry.actor)}</td>
              <td>{entry.target === null ? '—' : visibleText(entry.target)}</td>
              <td className="col-details">{visibleText(formatDetails(entry.details))}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
}
