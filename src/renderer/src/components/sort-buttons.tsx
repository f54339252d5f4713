// The Users table's sort controls: the arrows beside a header, and a narrow
// table's Name header (issue 13), which sorts by name and by email since the
// email is shown under the name there and has no column of its own.
import type { SortDirection, UserSortKey } from '../../../shared/domain'

export function SortIndicator({ active, direction }: { active: boolean; direction: SortDirection }) {
  return (
    <svg className={`sort-indicator${active ? ' active' : ''}`} viewBox="0 0 10 12" width="10" height="12" aria-hidden="true">
      <path d="M5 1 8.5 5h-7z" className={active && direction === 'asc' ? 'on' : ''} />
      <path d="M5 11 1.5 7h7z" className={active && direction === 'desc' ? 'on' : ''} />
    </svg>
  )
}

/** A narrow table's Name header: it sorts by name and by email, the column it stands for too. */
export function NameEmailSort({ sort, direction, onSort }: { sort: UserSortKey; direction: SortDirection; onSort: (key: UserSortKey) => void }) {
  return (
    <span className="sort-pair">
      {(['name', 'email'] as const).map((key, i) => [
        i > 0 ? <span key="slash" aria-hidden="true">/</span> : null,
        <button key={key} type="button" className="sort-button" onClick={() => onSort(key)}>
          {key === 'name' ? 'Name' : 'Email'}
          <SortIndicator active={sort === key} direction={direction} />
        </button>
      ])}
    </span>
  )
}
