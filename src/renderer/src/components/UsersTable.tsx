// Account > Users: Name, Email, Role and, on the right, the 2FA shield.
import type { ReactNode } from 'react'
import type { SortDirection, UserRow, UserSortKey } from '../../../shared/domain'
import { ROLE_LABEL, statusDetails } from '../lib/format'
import { StatusShield } from './StatusShield'

interface UsersTableProps {
  users: readonly UserRow[]
  sort: UserSortKey
  direction: SortDirection
  onSort: (key: UserSortKey) => void
  onOpenUser: (userId: number) => void
  /** Shown in the body while there are no rows. */
  emptyState: ReactNode
  busy: boolean
}

const COLUMNS: { key: UserSortKey; label: string; className: string }[] = [
  { key: 'name', label: 'Name', className: 'col-name' },
  { key: 'email', label: 'Email', className: 'col-email' },
  { key: 'role', label: 'Role', className: 'col-role' },
  { key: 'status', label: '2FA', className: 'col-2fa' }
]

function SortIndicator({ active, direction }: { active: boolean; direction: SortDirection }) {
  return (
    <svg className={`sort-indicator${active ? ' active' : ''}`} viewBox="0 0 10 12" width="10" height="12" aria-hidden="true">
      <path d="M5 1 8.5 5h-7z" className={active && direction === 'asc' ? 'on' : ''} />
      <path d="M5 11 1.5 7h7z" className={active && direction === 'desc' ? 'on' : ''} />
    </svg>
  )
}

export function UsersTable({ users, sort, direction, onSort, onOpenUser, emptyState, busy }: UsersTableProps) {
  return (
    <table className="data-table users-table" aria-busy={busy}>
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <th
              key={column.key}
              scope="col"
              className={column.className}
              aria-sort={sort === column.key ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                {column.label}
                <SortIndicator active={sort === column.key} direction={direction} />
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {users.length === 0 ? (
          <tr>
            <td colSpan={COLUMNS.length} className="empty-cell">
              {emptyState}
            </td>
          </tr>
        ) : (
          users.map((user) => (
            <tr key={user.id} className={user.disabled ? 'row-disabled' : undefined}>
              <td className="col-name">
                <button type="button" className="link-button" onClick={() => onOpenUser(user.id)}>
                  {user.name}
                </button>
                {user.locked ? <span className="badge badge-danger">Locked</span> : null}
                {user.disabled ? <span className="badge">Disabled</span> : null}
              </td>
              <td className="col-email">{user.email}</td>
              <td className="col-role">{ROLE_LABEL[user.role]}</td>
              <td className="col-2fa">
                <StatusShield status={user.status} details={statusDetails(user)} />
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
}
