// Account > Users: Name, Email, Role and, on the right, the 2FA shield.
// Virtualized: whatever the list's size, only the rows in view (plus a few) are
// in the DOM. The table itself stays in place (sticky) inside a scroll container
// whose content is as tall as the rows would be, or capped and scaled at very
// large sizes (see lib/virtual-rows.ts), so the scrollbar reaches every row.
import { useLayoutEffect, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react'
import type { SortDirection, UserRow, UserSortKey } from '../../../shared/domain'
import { ROLE_LABEL, statusDetails } from '../lib/format'
import { contentHeight, HEADER_HEIGHT, rowAtTop, rowsPerPage, rowWindow, type ListGeometry } from '../lib/virtual-rows'
import { EmptySelectCell, SelectCell, SelectHeaderCell, type TableSelection } from './SelectCells'
import { EmailText } from './EmailText'
import { NameEmailSort, SortIndicator } from './sort-buttons'
import { StatusShield } from './StatusShield'
import { ExtraCells, ExtraSkeletonCells, type ExtraColumn } from './user-columns'
import { useRowFocus } from './use-row-focus'
import { useRowHeight } from './use-row-height'
import '../styles/lists.css'
import './UsersTable.css'
import { visibleText } from '../../../shared/text'

export interface UsersTableProps {
  rowCount: number
  /** The row at a 0-based position, or undefined while it is being fetched. */
  rowAt: (index: number) => UserRow | undefined
  sort: UserSortKey
  direction: SortDirection
  onSort: (key: UserSortKey) => void
  onOpenUser: (userId: number) => void
  /** Told which rows are rendered (first..end-1), so they can be fetched. */
  onShowRows: (first: number, end: number) => void
  /** Changes when the list becomes a different one (filter, sort, search): back to the top. */
  resetKey: number
  /** Shown in the body while there are no rows. */
  emptyState: ReactNode
  /** "1,000,000 users" in the footer; null while the list as now filtered is being counted. */
  totalLabel: string | null
  busy: boolean
  /** Rows area height assumed until the container is measured (and in static rendering). */
  initialViewportHeight?: number
  /** A checkbox per row and in the header (bulk actions); none without. */
  selection?: TableSelection
  /** The optional columns shown (the Columns menu), before Groups; none without. */
  extraColumns?: readonly ExtraColumn[]
}

// The stylesheet draws rows at the heights the scroll arithmetic counts with:
// both read these numbers, so they cannot drift apart (the row height: useRowHeight).
const rowMetrics = (rowHeight: number) => ({ '--row-height': `${rowHeight}px`, '--header-height': `${HEADER_HEIGHT}px` }) as CSSProperties

const COLUMNS: { key: UserSortKey; label: string; className: string }[] = [
  { key: 'name', label: 'Name', className: 'col-name' },
  { key: 'email', label: 'Email', className: 'col-email' },
  { key: 'role', label: 'Role', className: 'col-role' },
  { key: 'status', label: '2FA', className: 'col-2fa' }
]

function UserRowView({ user, index, onOpenUser, active, selection, extra = [], narrow }: { user: UserRow; index: number; onOpenUser: (userId: number) => void; active: boolean; selection?: TableSelection; extra?: readonly ExtraColumn[]; narrow: boolean }) {
  const classes = [user.disabled ? 'row-disabled' : '', active ? 'row-active' : '', selection?.isSelected(user.id) === true ? 'row-selected' : ''].filter(Boolean).join(' ')
  return (
    <tr className={classes || undefined} aria-rowindex={index + 2} data-user-id={user.id} tabIndex={-1}>
      {selection ? <SelectCell selection={selection} user={user} index={index} /> : null}
      <td className="col-name">
        <span className="cell-text">
          <button type="button" className="link-button" onClick={() => onOpenUser(user.id)} title={visibleText(user.name)}>
            {visibleText(user.name)}
          </button>
          {user.locked ? <span className="badge badge-danger">Locked</span> : null}
          {user.disabled ? <span className="badge">Disabled</span> : null}
        </span>
        {narrow ? <EmailText className="cell-email" email={visibleText(user.email)} /> : null}
      </td>
      {narrow ? null : (
        <td className="col-email" title={visibleText(user.email)}>
          {visibleText(user.email)}
        </td>
      )}
      <td className="col-role">{ROLE_LABEL[user.role]}</td>
      <ExtraCells columns={extra} user={user} />
      <td className="col-groups" title={user.groups.map(visibleText).join(', ')}>
        {user.groups.length === 0 ? <span className="muted">—</span> : user.groups.map(visibleText).join(', ')}
      </td>
      <td className="col-2fa">
        <StatusShield status={user.status} details={statusDetails(user)} />
      </td>
    </tr>
  )
}

/** A row not fetched yet: same height as a real one, so nothing moves when it arrives. */
function SkeletonRow({ index, active, selectable, extra = [], narrow }: { index: number; active: boolean; selectable: boolean; extra?: readonly ExtraColumn[]; narrow: boolean }) {
  // Varied widths, stable per row, read less like a barcode.
  const width = (base: number) => `${base + ((index * 37) % 30)}%`
  return (
    <tr className={active ? 'row-skeleton row-active' : 'row-skeleton'} aria-rowindex={index + 2} aria-busy="true" tabIndex={-1}>
      {selectable ? <EmptySelectCell /> : null}
      <td className="col-name">
        <span className="skeleton" style={{ width: width(45) }} />
        {narrow ? <span className="skeleton skeleton-email" style={{ width: width(50) }} aria-hidden="true" /> : null}
        <span className="visually-hidden">Loading…</span>
      </td>
      {narrow ? null : (
        <td className="col-email">
          <span className="skeleton" style={{ width: width(50) }} aria-hidden="true" />
        </td>
      )}
      <td className="col-role">
        <span className="skeleton" style={{ width: '60%' }} aria-hidden="true" />
      </td>
      <ExtraSkeletonCells columns={extra} />
      <td className="col-groups">
        <span className="skeleton" style={{ width: '40%' }} aria-hidden="true" />
      </td>
      <td className="col-2fa">
        <span className="skeleton skeleton-shield" aria-hidden="true" />
      </td>
    </tr>
  )
}

export function UsersTable({
  rowCount,
  rowAt,
  sort,
  direction,
  onSort,
  onOpenUser,
  onShowRows,
  resetKey,
  emptyState,
  totalLabel,
  busy,
  initialViewportHeight = 600,
  selection,
  extraColumns = []
}: UsersTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [clientHeight, setClientHeight] = useState(initialViewportHeight + HEADER_HEIGHT)
  const { narrow, rowHeight } = useRowHeight()
  const columns = narrow ? COLUMNS.filter((column) => column.key !== 'email') : COLUMNS
  const geometry: ListGeometry = { rowCount, rowHeight, viewportHeight: Math.max(rowHeight, clientHeight - HEADER_HEIGHT) }
  const view = rowWindow(scrollTop, geometry)
  const topRow = rowAtTop(scrollTop, geometry)
  const shownRows = Math.min(rowsPerPage(geometry), rowCount - topRow)

  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    const measure = () => setClientHeight(element.clientHeight)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  useLayoutEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0
    setScrollTop(0)
  }, [resetKey])


  useEffect(() => {
    onShowRows(view.first, view.end)
  }, [onShowRows, view.first, view.end])

  // The focused row (arrow keys, Home, End, Enter) and the keys that scroll the list.
  const { activeRow, onKeyDown, onFocus } = useRowFocus({ scrollRef, geometry, rowAt, onOpenUser, resetKey })



  const empty = rowCount === 0
  const sizerHeight = empty ? undefined : HEADER_HEIGHT + contentHeight(geometry)
  const rows: ReactNode[] = []
  const shown: UserRow[] = []
  for (let index = view.first; index < view.end; index++) {
    const user = rowAt(index)
    const active = index === activeRow
    if (user) shown.push(user)
    rows.push(
      user ? (
        <UserRowView key={user.id} user={user} index={index} onOpenUser={onOpenUser} active={active} selection={selection} extra={extraColumns} narrow={narrow} />
      ) : (
        <SkeletonRow key={`loading-${index}`} index={index} active={active} selectable={selection !== undefined} extra={extraColumns} narrow={narrow} />
      )
    )
  }
  // Space on the focused row ticks or unticks it (on its checkbox, the browser does).
  const onTableKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (selection && event.key === ' ' && activeRow !== null && event.target instanceof HTMLTableRowElement && !event.altKey && !event.ctrlKey && !event.metaKey) {
      const user = rowAt(activeRow)
      if (user) {
        event.preventDefault()
        selection.onToggle(user, activeRow, event.shiftKey)
      }
      return
    }
    onKeyDown(event)
  }

  return (
    <div className="table-card users-card" style={rowMetrics(rowHeight)}>
      <div
        ref={scrollRef}
        className="users-scroll"
        tabIndex={empty ? undefined : 0}
        aria-label={empty ? undefined : 'Users list: Up and Down move between users, Enter opens one; Page Up, Page Down, Home and End'}
        role={empty ? undefined : 'region'}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onKeyDown={onTableKeyDown}
        onFocus={onFocus}
      >
        <div className="users-sizer" style={{ height: sizerHeight }}>
          <div className="users-viewport" style={empty ? undefined : { height: Math.min(clientHeight, sizerHeight ?? 0) }}>
            <table className={narrow ? 'data-table users-table users-table-narrow' : 'data-table users-table'} aria-busy={busy} aria-label="Users" aria-rowcount={rowCount + 1}>
              <thead>
                <tr aria-rowindex={1}>
                  {selection ? <SelectHeaderCell selection={selection} shown={shown} /> : null}
                  {[...columns.slice(0, -1), ...extraColumns, ...columns.slice(-1)].map((column) => [
                    column.key === 'status' ? (
                      <th key="groups" scope="col" className="col-groups">
                        <span className="column-label">Groups</span>
                      </th>
                    ) : null,
                    <th
                      key={column.key}
                      scope="col"
                      className={column.className}
                      aria-sort={sort === column.key || (narrow && column.key === 'name' && sort === 'email') ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      {narrow && column.key === 'name' ? (
                        <NameEmailSort sort={sort} direction={direction} onSort={onSort} />
                      ) : (
                        <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                          {column.label}
                          <SortIndicator active={sort === column.key} direction={direction} />
                        </button>
                      )}
                    </th>
                  ])}
                </tr>
              </thead>
              <tbody style={empty ? undefined : { top: view.offsetY }}>
                {empty ? (
                  <tr>
                    <td colSpan={columns.length + extraColumns.length + (selection ? 2 : 1)} className="empty-cell">
                      {emptyState}
                    </td>
                  </tr>
                ) : (
                  rows
                )}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      {empty ? null : (
        <div className="table-footer">
          <span className="muted">
            {totalLabel === null
              ? 'Counting…'
              : shownRows > 0
              ? `Rows ${(topRow + 1).toLocaleString('en-US')}–${(topRow + shownRows).toLocaleString('en-US')} of ${totalLabel}`
              : totalLabel}
          </span>
          <span className="muted table-footer-keys" aria-hidden="true">
            ↑ / ↓, Enter, Page Up / Page Down, Home / End
          </span>
        </div>
      )}
    </div>
  )
}
