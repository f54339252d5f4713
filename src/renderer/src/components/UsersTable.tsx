// Account > Users: Name, Email, Role and, on the right, the 2FA shield.
// Virtualized: whatever the list's size, only the rows in view (plus a few) are
// in the DOM. The table itself stays in place (sticky) inside a scroll container
// whose content is as tall as the rows would be, or capped and scaled at very
// large sizes (see lib/virtual-rows.ts), so the scrollbar reaches every row.
import { useLayoutEffect, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react'
import type { SortDirection, UserRow, UserSortKey } from '../../../shared/domain'
import { ROLE_LABEL, statusDetails } from '../lib/format'
import {
  contentHeight,
  HEADER_HEIGHT,
  ROW_HEIGHT,
  rowAtTop,
  rowForKey,
  rowsPerPage,
  rowWindow,
  scrollTopFor,
  scrollTopForRow,
  virtualOffset,
  type ListGeometry
} from '../lib/virtual-rows'
import { StatusShield } from './StatusShield'
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
  /** "1,000,000 users" in the footer. */
  totalLabel: string
  busy: boolean
  /** Rows area height assumed until the container is measured (and in static rendering). */
  initialViewportHeight?: number
}

// The stylesheet draws rows at the heights the scroll arithmetic counts with:
// both read these numbers, so they cannot drift apart.
const ROW_METRICS = { '--row-height': `${ROW_HEIGHT}px`, '--header-height': `${HEADER_HEIGHT}px` } as CSSProperties

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

function UserRowView({ user, index, onOpenUser }: { user: UserRow; index: number; onOpenUser: (userId: number) => void }) {
  return (
    <tr className={user.disabled ? 'row-disabled' : undefined} aria-rowindex={index + 2}>
      <td className="col-name">
        <span className="cell-text">
          <button type="button" className="link-button" onClick={() => onOpenUser(user.id)} title={visibleText(user.name)}>
            {visibleText(user.name)}
          </button>
          {user.locked ? <span className="badge badge-danger">Locked</span> : null}
          {user.disabled ? <span className="badge">Disabled</span> : null}
        </span>
      </td>
      <td className="col-email" title={visibleText(user.email)}>
        {visibleText(user.email)}
      </td>
      <td className="col-role">{ROLE_LABEL[user.role]}</td>
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
function SkeletonRow({ index }: { index: number }) {
  // Varied widths, stable per row, read less like a barcode.
  const width = (base: number) => `${base + ((index * 37) % 30)}%`
  return (
    <tr className="row-skeleton" aria-rowindex={index + 2} aria-busy="true">
      <td className="col-name">
        <span className="skeleton" style={{ width: width(45) }} />
        <span className="visually-hidden">Loading…</span>
      </td>
      <td className="col-email">
        <span className="skeleton" style={{ width: width(50) }} aria-hidden="true" />
      </td>
      <td className="col-role">
        <span className="skeleton" style={{ width: '60%' }} aria-hidden="true" />
      </td>
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
  initialViewportHeight = 600
}: UsersTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [clientHeight, setClientHeight] = useState(initialViewportHeight + HEADER_HEIGHT)
  const geometry: ListGeometry = { rowCount, viewportHeight: Math.max(ROW_HEIGHT, clientHeight - HEADER_HEIGHT) }
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

  // Scroll offsets are rounded up so the row asked for is the one at the top
  // (a scaled offset is a fraction of a pixel; rounding down can show the row before).
  const scrollTo = (offset: number) => {
    if (scrollRef.current) scrollRef.current.scrollTop = Math.ceil(offset)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !scrollRef.current) return
    const row = rowForKey(event.key, rowAtTop(scrollRef.current.scrollTop, geometry), geometry)
    if (row === null) return
    event.preventDefault()
    // A focused name may scroll out of the DOM; keep focus on the list so the next key still scrolls it.
    if (event.target !== scrollRef.current) scrollRef.current.focus({ preventScroll: true })
    scrollTo(scrollTopForRow(row, geometry))
  }

  // Tab walks through the names: a row focused at an edge is scrolled fully into view
  // (the rows area clips, so the browser cannot do it), and the next rows render.
  const onFocus = (event: { target: EventTarget }) => {
    const element = scrollRef.current
    const row = event.target instanceof Element ? event.target.closest('tr[aria-rowindex]') : null
    if (!element || !row) return
    const index = Number(row.getAttribute('aria-rowindex')) - 2
    const top = virtualOffset(element.scrollTop, geometry)
    if (index * ROW_HEIGHT < top) scrollTo(scrollTopFor(index * ROW_HEIGHT, geometry))
    else if ((index + 1) * ROW_HEIGHT > top + geometry.viewportHeight) scrollTo(scrollTopFor((index + 1) * ROW_HEIGHT - geometry.viewportHeight, geometry))
  }

  const empty = rowCount === 0
  const sizerHeight = empty ? undefined : HEADER_HEIGHT + contentHeight(geometry)
  const rows: ReactNode[] = []
  for (let index = view.first; index < view.end; index++) {
    const user = rowAt(index)
    rows.push(user ? <UserRowView key={user.id} user={user} index={index} onOpenUser={onOpenUser} /> : <SkeletonRow key={`loading-${index}`} index={index} />)
  }

  return (
    <div className="table-card users-card" style={ROW_METRICS}>
      <div
        ref={scrollRef}
        className="users-scroll"
        tabIndex={empty ? undefined : 0}
        aria-label={empty ? undefined : 'Users list: Page Up, Page Down, Home and End scroll'}
        role={empty ? undefined : 'region'}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        <div className="users-sizer" style={{ height: sizerHeight }}>
          <div className="users-viewport" style={empty ? undefined : { height: Math.min(clientHeight, sizerHeight ?? 0) }}>
            <table className="data-table users-table" aria-busy={busy} aria-label="Users" aria-rowcount={rowCount + 1}>
              <thead>
                <tr aria-rowindex={1}>
                  {COLUMNS.map((column) => [
                    column.key === 'status' ? (
                      <th key="groups" scope="col" className="col-groups">
                        <span className="column-label">Groups</span>
                      </th>
                    ) : null,
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
                  ])}
                </tr>
              </thead>
              <tbody style={empty ? undefined : { top: view.offsetY }}>
                {empty ? (
                  <tr>
                    <td colSpan={COLUMNS.length + 1} className="empty-cell">
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
            {shownRows > 0
              ? `Rows ${(topRow + 1).toLocaleString('en-US')}–${(topRow + shownRows).toLocaleString('en-US')} of ${totalLabel}`
              : totalLabel}
          </span>
          <span className="muted table-footer-keys" aria-hidden="true">
            Page Up / Page Down, Home / End
          </span>
        </div>
      )}
    </div>
  )
}
