// Which optional columns of the Users table an administrator chose to show,
// remembered in this window's localStorage (per machine and browser, like a
// column width: a preference, not a setting of the directory).
import type { TimeSortKey } from '../../../shared/domain'
import { TIME_SORT_KEYS } from '../../../shared/domain'

const KEY = 'twofa-admin.users.columns'

/** The columns remembered, or none; anything unreadable counts as none. */
export function loadShownColumns(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): TimeSortKey[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]')
    return Array.isArray(parsed) ? TIME_SORT_KEYS.filter((key) => parsed.includes(key)) : []
  } catch {
    return []
  }
}

export function saveShownColumns(columns: readonly TimeSortKey[], storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(columns))
  } catch {
    // A full or forbidden storage forgets the choice at the next start; the table still shows it now.
  }
}
