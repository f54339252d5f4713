// The Users table's selection column: a checkbox per row (named after the user)
// and one in the header for the rows shown. Shift+click ticks a range; Space on
// the focused row toggles it (UsersTable). Pure: the selection is the caller's.
import { useLayoutEffect, useRef } from 'react'
import type { UserRow } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import './SelectCells.css'

export interface TableSelection {
  isSelected: (userId: number) => boolean
  /** `range`: Shift was held (tick or untick every row from the last one clicked to this one). */
  onToggle: (user: UserRow, index: number, range: boolean) => void
  /** The header checkbox: the rows shown, all ticked or all unticked. */
  onToggleRows: (users: readonly UserRow[], selected: boolean) => void
}

export function SelectHeaderCell({ selection, shown }: { selection: TableSelection; shown: readonly UserRow[] }) {
  const ref = useRef<HTMLInputElement>(null)
  const ticked = shown.filter((user) => selection.isSelected(user.id)).length
  const all = shown.length > 0 && ticked === shown.length
  useLayoutEffect(() => {
    if (ref.current) ref.current.indeterminate = ticked > 0 && !all
  })
  return (
    <th scope="col" className="col-select">
      <input
        ref={ref}
        type="checkbox"
        aria-label="Select the users shown"
        checked={all}
        disabled={shown.length === 0}
        onChange={() => selection.onToggleRows(shown, !all)}
      />
    </th>
  )
}

export function SelectCell({ selection, user, index }: { selection: TableSelection; user: UserRow; index: number }) {
  return (
    <td className="col-select">
      <input
        type="checkbox"
        aria-label={`Select ${visibleText(user.name)}`}
        checked={selection.isSelected(user.id)}
        // The click carries Shift; the change event alone would not say.
        onClick={(event) => selection.onToggle(user, index, event.shiftKey)}
        onChange={() => {}}
      />
    </td>
  )
}

export function EmptySelectCell() {
  return <td className="col-select" aria-hidden="true" />
}
