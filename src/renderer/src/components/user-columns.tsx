// The optional columns of the Users table (issue 13): times an administrator
// can add or hide with the Columns menu, each sortable (TIME_SORT_KEYS: users
// without the time last, in either direction). Pure: definitions and cells.
import type { TimeSortKey, UserRow } from '../../../shared/domain'
import { TIME_SORT_KEYS } from '../../../shared/domain'
import { lockEndText } from '../../../shared/labels'
import { formatDate, formatDateTime } from '../lib/format'

export interface ExtraColumn {
  key: TimeSortKey
  /** The header, and the Columns menu's checkbox. */
  label: string
  className: string
  /** The cell's text (a date; a lock's end with its time), and its tooltip: the whole date and time. */
  cell: (user: UserRow) => string
  title: (user: UserRow) => string | undefined
}

const NONE = '—'

/** A column of one time of the user's: the date in the cell, the date and time in the tooltip. */
function timeColumn(key: Exclude<TimeSortKey, 'lockedUntil'>, label: string, className: string, at: (user: UserRow) => number | null | undefined): ExtraColumn {
  return { key, label, className: `col-time ${className}`, cell: (user) => dateOf(at(user)), title: (user) => dateTimeOf(at(user)) }
}

export const OPTIONAL_COLUMNS: Readonly<Record<TimeSortKey, ExtraColumn>> = {
  lastTwoFactorLogin: timeColumn('lastTwoFactorLogin', 'Last 2FA login', 'col-last-2fa', (user) => user.lastTwoFactorLoginAt),
  activeSince: timeColumn('activeSince', 'Active since', 'col-active-since', (user) => user.activeSince),
  enforcedSince: timeColumn('enforcedSince', 'Enforced since', 'col-enforced-since', (user) => user.enforcedSince),
  lockedUntil: {
    key: 'lockedUntil',
    label: 'Locked until',
    className: 'col-time col-locked-until',
    // A lock lasts minutes: its time matters. "until an administrator unlocks it" reads as "Until unlocked" here.
    cell: (user) => (user.lockedUntil === null || user.lockedUntil === undefined ? NONE : user.lockedUntil === 'unlock' ? 'Until unlocked' : formatDateTime(user.lockedUntil)),
    title: (user) => (user.lockedUntil === null || user.lockedUntil === undefined ? undefined : lockEndText(user.lockedUntil, (ms) => formatDateTime(ms)))
  }
}

function dateOf(epochMs: number | null | undefined): string {
  return epochMs === null || epochMs === undefined ? NONE : formatDate(epochMs)
}

function dateTimeOf(epochMs: number | null | undefined): string | undefined {
  return epochMs === null || epochMs === undefined ? undefined : formatDateTime(epochMs)
}

/** What each column means, for the Columns menu. */
export const OPTIONAL_COLUMN_HINT: Readonly<Record<TimeSortKey, string>> = {
  lastTwoFactorLogin: 'Last successful 2FA login',
  activeSince: 'When 2FA was activated',
  enforcedSince: 'When 2FA was enforced for the user individually',
  lockedUntil: 'When a lock after failed sign-ins ends'
}

/** The optional columns shown, in the table's order. */
export function extraColumnsOf(shown: readonly TimeSortKey[]): ExtraColumn[] {
  return TIME_SORT_KEYS.filter((key) => shown.includes(key)).map((key) => OPTIONAL_COLUMNS[key])
}

export function ExtraCells({ columns, user }: { columns: readonly ExtraColumn[]; user: UserRow }) {
  return (
    <>
      {columns.map((column) => {
        const text = column.cell(user)
        return (
          <td key={column.key} className={column.className} title={column.title(user)}>
            {text === NONE ? <span className="muted">{NONE}</span> : text}
          </td>
        )
      })}
    </>
  )
}

export function ExtraSkeletonCells({ columns }: { columns: readonly ExtraColumn[] }) {
  return (
    <>
      {columns.map((column) => (
        <td key={column.key} className={column.className}>
          <span className="skeleton" style={{ width: '55%' }} aria-hidden="true" />
        </td>
      ))}
    </>
  )
}
