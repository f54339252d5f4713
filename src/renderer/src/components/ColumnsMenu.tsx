// The Users table's "Columns" menu: a button that opens a small panel of
// checkboxes, one per optional column. Escape or a click elsewhere closes it
// and gives the focus back to the button. Pure: the shown columns and a callback.
import { useEffect, useId, useRef, useState } from 'react'
import type { TimeSortKey } from '../../../shared/domain'
import { TIME_SORT_KEYS } from '../../../shared/domain'
import { OPTIONAL_COLUMN_HINT, OPTIONAL_COLUMNS } from './user-columns'
import './ColumnsMenu.css'

export function ColumnsMenu({ shown, onChange }: { shown: readonly TimeSortKey[]; onChange: (shown: TimeSortKey[]) => void }) {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  const toggle = (key: TimeSortKey, on: boolean) => onChange(TIME_SORT_KEYS.filter((column) => (column === key ? on : shown.includes(column))))

  return (
    <div
      className="columns-menu"
      ref={rootRef}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation()
          setOpen(false)
          buttonRef.current?.focus()
        }
      }}
    >
      <button ref={buttonRef} type="button" className="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        Columns{shown.length > 0 ? ` (${shown.length})` : ''}
      </button>
      {open ? (
        <fieldset id={panelId} className="columns-panel">
          <legend>Show columns</legend>
          {TIME_SORT_KEYS.map((key) => (
            <label key={key} title={OPTIONAL_COLUMN_HINT[key]}>
              <input type="checkbox" checked={shown.includes(key)} onChange={(event) => toggle(key, event.target.checked)} />
              {OPTIONAL_COLUMNS[key].label}
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  )
}
