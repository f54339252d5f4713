// The Users table's focused row: Up and Down move between rows, Page Up and Page
// Down by a page, Home and End to the first and last, Enter opens the row's user;
// the row moved to is scrolled fully into view (the rows area clips, so the
// browser cannot do it) and keeps focus when its data arrives in place of the
// placeholder. Anything else that acts on "the focused row" reads `activeRow`.
import { useLayoutEffect, useState, type KeyboardEvent, type RefObject } from 'react'
import type { UserRow } from '../../../shared/domain'
import { ROW_HEIGHT, rowAtTop, rowForKey, scrollTopFor, scrollTopForRow, virtualOffset, type ListGeometry } from '../lib/virtual-rows'

interface RowFocusOptions {
  scrollRef: RefObject<HTMLDivElement | null>
  geometry: ListGeometry
  rowAt: (index: number) => UserRow | undefined
  onOpenUser: (userId: number) => void
  /** Changes when the list becomes another one: no row is focused any more. */
  resetKey: number
}

export interface RowFocus {
  /** The row keyboard focus is on (0-based), or null. */
  activeRow: number | null
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void
  onFocus: (event: { target: EventTarget }) => void
}

export function useRowFocus({ scrollRef, geometry, rowAt, onOpenUser, resetKey }: RowFocusOptions): RowFocus {
  const [activeRow, setActiveRow] = useState<number | null>(null)
  const [listKey, setListKey] = useState(resetKey)
  // Another list: its rows are other users (state adjusted while rendering, as React advises).
  if (listKey !== resetKey) {
    setListKey(resetKey)
    setActiveRow(null)
  }
  const activeUserId = activeRow === null ? undefined : rowAt(activeRow)?.id
  const { rowCount } = geometry

  // The focused row keeps focus when it moves and when its row arrives in place of the
  // placeholder (a new element): unless focus went elsewhere meanwhile.
  useLayoutEffect(() => {
    const element = scrollRef.current
    if (activeRow === null || !element) return
    const active = document.activeElement
    if (active !== null && active !== document.body && active.isConnected && !element.contains(active)) return
    const row = element.querySelector<HTMLElement>(`tr[aria-rowindex="${activeRow + 2}"]`)
    if (row && !row.contains(active)) row.focus({ preventScroll: true })
  }, [activeRow, activeUserId])

  // Scroll offsets are rounded up so the row asked for is the one at the top
  // (a scaled offset is a fraction of a pixel; rounding down can show the row before).
  const scrollTo = (offset: number) => {
    if (scrollRef.current) scrollRef.current.scrollTop = Math.ceil(offset)
  }

  /** The rows area clips, so the browser cannot scroll a row into view: a row at an edge is brought fully in. */
  const scrollRowIntoView = (index: number) => {
    const element = scrollRef.current
    if (!element) return
    const top = virtualOffset(element.scrollTop, geometry)
    const rowHeight = geometry.rowHeight ?? ROW_HEIGHT
    if (index * rowHeight < top) scrollTo(scrollTopFor(index * rowHeight, geometry))
    else if ((index + 1) * rowHeight > top + geometry.viewportHeight) scrollTo(scrollTopFor((index + 1) * rowHeight - geometry.viewportHeight, geometry))
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !scrollRef.current || rowCount === 0) return
    const inRow = event.target instanceof Element && event.target.closest('tr[aria-rowindex]') !== null && activeRow !== null
    if (inRow && event.key === 'Enter' && event.target instanceof HTMLTableRowElement) {
      // On the row itself (on its name, Enter presses the name's button).
      const user = rowAt(activeRow)
      if (user) {
        event.preventDefault()
        onOpenUser(user.id)
      }
      return
    }
    const topNow = rowAtTop(scrollRef.current.scrollTop, geometry)
    // From the list itself, Up and Down start at the top row shown; Home and End go to the first and last.
    const from = inRow ? activeRow : event.key === 'ArrowDown' || event.key === 'ArrowUp' ? topNow - (event.key === 'ArrowDown' ? 1 : -1) : topNow
    const row = rowForKey(event.key, from, geometry)
    if (row === null) return
    event.preventDefault()
    if (inRow || event.key.startsWith('Arrow') || event.key === 'Home' || event.key === 'End') {
      scrollRowIntoView(row)
      setActiveRow(row)
      return
    }
    // Page Up and Down on the list itself scroll it, focus staying on the list.
    scrollTo(scrollTopForRow(row, geometry))
  }

  // Tab walks through the names: a row focused at an edge is scrolled fully into view
  // (the rows area clips, so the browser cannot do it), and the next rows render.
  const onFocus = (event: { target: EventTarget }) => {
    const row = event.target instanceof Element ? event.target.closest('tr[aria-rowindex]') : null
    if (!scrollRef.current || !row) return
    const index = Number(row.getAttribute('aria-rowindex')) - 2
    if (index < 0) return
    setActiveRow(index)
    scrollRowIntoView(index)
  }

  return { activeRow, onKeyDown, onFocus }
}
