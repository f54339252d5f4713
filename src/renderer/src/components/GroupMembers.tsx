// Account > Groups > a group: the members table (name, email, the 2FA shield
// with its tooltip, Remove), a page at a time with "Load more". Pure.
import type { UserRow } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { plural, statusDetails } from '../lib/format'
import { ErrorMessage, Loading } from './Messages'
import { StatusShield } from './StatusShield'
import '../styles/lists.css'
import './Groups.css'

interface GroupMembersTableProps {
  groupName: string
  rows: readonly UserRow[]
  /** Members before the first row shown (let go to keep memory constant). */
  skipped: number
  total: number
  hasMore: boolean
  loading: boolean
  error: string | null
  /** A change is under way: no second one. */
  busy: boolean
  onLoadMore: () => void
  onBackToStart: () => void
  /** Left out for a group from the directory: its members change there. */
  onRemove?: (user: UserRow) => void
  onOpenUser: (userId: number) => void
}

const count = (n: number) => n.toLocaleString('en-US')

/** An email may wrap before its @ in a narrow window, rather than in the middle of a word. */
function withBreakBeforeAt(email: string) {
  const at = email.indexOf('@')
  if (at <= 0) return email
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  )
}

export function GroupMembersTable({ groupName, rows, skipped, total, hasMore, loading, error, busy, onLoadMore, onBackToStart, onRemove, onOpenUser }: GroupMembersTableProps) {
  const name = visibleText(groupName)
  const shown = rows.length === 0 ? 'No members shown' : `Members ${count(skipped + 1)}–${count(skipped + rows.length)} of ${count(total)}`
  return (
    <div className="table-card">
      <table className="data-table group-members-table" aria-label={`Members of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col" className="group-member-2fa">
              2FA
            </th>
            <th scope="col" className="group-member-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((user) => (
            <tr key={user.id} className={user.disabled ? 'row-disabled' : undefined}>
              <td className="group-member-name">
                <button type="button" className="link-button" onClick={() => onOpenUser(user.id)}>
                  {visibleText(user.name)}
                </button>
                {user.disabled ? <span className="badge">Disabled</span> : null}
              </td>
              <td className="group-member-email">{withBreakBeforeAt(visibleText(user.email))}</td>
              <td className="group-member-2fa">
                <StatusShield status={user.status} details={statusDetails(user)} />
              </td>
              <td className="group-member-actions">
                {onRemove ? (
                  <button type="button" className="button button-danger-outline" disabled={busy} aria-label={`Remove ${visibleText(user.name)} from ${name}`} onClick={() => onRemove(user)}>
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="table-footer group-members-footer">
        <span className="muted" role="status">
          {total === rows.length && skipped === 0 ? plural(total, 'member') : shown}
        </span>
        <div className="button-row">
          {skipped > 0 ? (
            <button type="button" className="button" onClick={onBackToStart} disabled={loading}>
              Back to the first members
            </button>
          ) : null}
          {hasMore ? (
            <button type="button" className="button" onClick={onLoadMore} disabled={loading}>
              Load more
            </button>
          ) : null}
        </div>
      </div>
      {loading ? <Loading label="Loading members…" /> : null}
      <ErrorMessage message={error} />
    </div>
  )
}

/** No members yet; `onAdd` left out for a group from the directory, whose members a sync brings. */
export function GroupMembersEmpty({ onAdd }: { onAdd?: () => void }) {
  if (!onAdd) {
    return (
      <div className="empty-state group-members-empty">
        <p>No members yet. The members of this group come from the directory: the next sync brings those it lists.</p>
      </div>
    )
  }
  return (
    <div className="empty-state group-members-empty">
      <p>No members yet. Add users by their email; enforcement and the exemption apply to members as soon as they are added.</p>
      <button type="button" className="button button-primary" onClick={onAdd}>
        Add members
      </button>
    </div>
  )
}
