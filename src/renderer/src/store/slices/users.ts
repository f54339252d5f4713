// Account > Users: the filtered, sorted list, fetched in blocks of rows around
// what the virtualized table shows, and adding a user. Over 300 lines: the list
// and its count (countPending, then countUsers) share the block and list state.
import type { CreateUserInput, ListUsersInput, UserListFilter, UserWithPassword } from '../../../../shared/contract'
import type { EnforcementSourceFilter, GroupSummary, Role, SortDirection, TimeSortKey, TwoFactorFilter, UserRow, UserSortKey, UserSource } from '../../../../shared/domain'
import { TIME_SORT_KEYS } from '../../../../shared/domain'
import { loadShownColumns, saveShownColumns } from '../../lib/column-prefs'
import { BLOCK_SIZE, blocksFor, trimBlocks, type BlockCache } from '../../lib/virtual-rows'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

/** Blocks kept in memory (2,000 rows): a few screens either side of the view, whatever the list's size. */
export const MAX_CACHED_BLOCKS = 20

export interface UserFilter {
  query: string
  status: TwoFactorFilter | null
  /** Only the members of this group. */
  groupId: number | null
  /** The filters beside the 2FA status (null or false: not filtered). */
  role: Role | null
  locked: boolean | null
  disabled: boolean | null
  enforcementSource: EnforcementSourceFilter | null
  source: UserSource | null
  fewRecoveryCodes: boolean
  sort: UserSortKey
  direction: SortDirection
}

/** The filters beside the search, the status and the group, each off. */
export const NO_EXTRA_FILTERS = { role: null, locked: null, disabled: null, enforcementSource: null, source: null, fewRecoveryCodes: false } as const

export type ExtraUserFilters = Pick<UserFilter, keyof typeof NO_EXTRA_FILTERS>

/** Whether any filter or the search narrows the list. */
export function isFiltered(filter: UserFilter): boolean {
  return (
    filter.query.trim() !== '' ||
    filter.status !== null ||
    filter.groupId !== null ||
    (Object.keys(NO_EXTRA_FILTERS) as (keyof ExtraUserFilters)[]).some((key) => filter[key] !== NO_EXTRA_FILTERS[key])
  )
}

export interface UsersSlice extends UserFilter {
  /** Fetched rows by block (BLOCK_SIZE rows each, block b starts at row b * BLOCK_SIZE). */
  blocks: BlockCache<UserRow>
  total: number
  /**
   * Whether `total` counts the list as now filtered: false from a change of the
   * filter, sort or search until its first answer (the screen shows no number
   * meanwhile: never a count that belongs to another list).
   */
  counted: boolean
  /**
   * The list's rows are shown but its exact number is still being counted (a
   * search with many matches): `total` is the number known so far, and the
   * exact one replaces it when countUsers answers.
   */
  countPending: boolean
  /** The count of the list failed (the rows are fine): what to show in its place, with a retry. */
  countError: string | null
  /** Waiting for the first answer since the filter, sort or search changed. */
  loading: boolean
  error: string | null
  /** Whether the list has been loaded at least once (for the empty state). */
  loaded: boolean
  /** Changes with the filter, sort or search: the table scrolls back to the top. */
  listVersion: number
  create: ActionStatus
  /** The groups for the group filter (few: loaded with the screen). */
  groups: GroupSummary[]
  /** The optional columns shown (the Columns menu), remembered in localStorage. */
  columns: TimeSortKey[]

  actions: {
    /** Open the screen, optionally filtered to one status (from Account > Security). */
    open: (status?: TwoFactorFilter) => Promise<void>
    setQuery: (query: string) => Promise<void>
    setStatus: (status: TwoFactorFilter | null) => Promise<void>
    setGroup: (groupId: number | null) => Promise<void>
    /** Change some of the filters beside the status and the group. */
    setFilters: (filters: Partial<ExtraUserFilters>) => Promise<void>
    /** Show these optional columns; hiding the one the list is sorted by sorts by name. */
    setColumns: (columns: TimeSortKey[]) => Promise<void>
    sortBy: (sort: UserSortKey) => Promise<void>
    clearFilters: () => Promise<void>
    /** Several fields at once, from an address (opened, Back, Forward: lib/route.ts); a new list only if the screen shows (`reload`). */
    restoreFilter: (filter: Partial<UserFilter>, reload: boolean) => Promise<void>
    /** Leave the screen: forget the rows (answers still on their way are dropped). */
    close: () => void
    /** The table shows rows first..end-1: fetch the blocks among them not yet fetched. */
    showRows: (first: number, end: number) => Promise<void>
    /**
     * The directory changed: fetch the rows in view again at the same positions, and the
     * total. The scroll position stays, the rows shown stay until their new version comes.
     */
    refresh: () => Promise<Followed>
    /** Count the list again after its count failed. */
    retryCount: () => Promise<void>
    /** The new user; with the generated password (to show once) when one was asked for. */
    createUser: (input: CreateUserInput) => Promise<UserWithPassword | null>
    resetCreate: () => void
  }
}

/** The filter of a list, without its order and paging: what countUsers and "select all matching" take. */
export function filterInput(filter: UserFilter): UserListFilter {
  const { sort: _sort, direction: _direction, position: _position, limit: _limit, ...only } = listInput(filter, 0)
  void [_sort, _direction, _position, _limit]
  return only
}

/** The list input of a filter (exports reuse it without the order and the paging). */
export function listInput(filter: UserFilter, position: number): ListUsersInput {
  const input: ListUsersInput = { sort: filter.sort, direction: filter.direction, position, limit: BLOCK_SIZE }
  const query = filter.query.trim()
  if (query) input.query = query
  if (filter.status) input.status = filter.status
  if (filter.groupId !== null) input.groupId = filter.groupId
  if (filter.role !== null) input.role = filter.role
  if (filter.locked !== null) input.locked = filter.locked
  if (filter.disabled !== null) input.disabled = filter.disabled
  if (filter.enforcementSource !== null) input.enforcementSource = filter.enforcementSource
  if (filter.source !== null) input.source = filter.source
  if (filter.fewRecoveryCodes) input.fewRecoveryCodes = true
  return input
}

/**
 * Whether a request of the list still shown was CANCELLED because a request of
 * an earlier list reached the core after it (the preview's requests travel on
 * several connections, so a keystroke's can overtake the one before), and is
 * worth asking again: a few times, then the failure shows.
 */
export function overtaken(code: string, asked: number): boolean {
  return code === 'CANCELLED' && asked < MAX_ASKED
}
const MAX_ASKED = 4

export const createUsersSlice: SliceCreator<'users'> = ({ set, get, call }) => {
  // Each change of filter, sort or search starts a new list; the blocks still on
  // their way for an earlier one are dropped, so a slow search for "a" cannot overwrite "ab".
  const lists = latestOnly()
  // The list the blocks in the state belong to. Until the first answer for a
  // new list, the old rows stay on screen (no flash of empty rows).
  let blocksList = lists.current().id
  let pending = new Set<number>()
  let inView = { first: 0, end: 30 }
  // Blocks kept on screen after a change until fetched again (refresh).
  let stale = new Set<number>()
  // The list whose exact count was asked for, and its answer once it came.
  let countAsked: number | null = null
  let exactCount: { list: number; total: number } | null = null

  /** Asks the core for the exact number of the list's users; an answer for an older list is dropped. */
  const countList = async (list: { id: number; isLatest: () => boolean }, asked = 1): Promise<void> => {
    countAsked = list.id
    const result = await call('countUsers', filterInput(get()))
    if (!list.isLatest()) return
    if (result.ok) {
      exactCount = { list: list.id, total: result.value.total }
      set({ total: result.value.total, countPending: false, countError: null })
    } else if (overtaken(result.error.code, asked)) {
      return countList(list, asked + 1)
    } else {
      // Any other failure (or overtaken again and again): say so, with a retry.
      set({ countPending: false, countError: result.error.message })
    }
  }

  const fetchBlock = async (block: number, asked = 1): Promise<void> => {
    const list = lists.current()
    pending.add(block)
    const position = block * BLOCK_SIZE
    const result = await call('listUsers', listInput(get(), position))
    if (!list.isLatest()) return
    if (!result.ok && overtaken(result.error.code, asked)) return fetchBlock(block, asked + 1)
    pending.delete(block)
    stale.delete(block)
    if (!result.ok) {
      // Rows of an earlier filter must not stand for this one's.
      if (blocksList !== list.id) {
        blocksList = list.id
        set({ blocks: {}, total: 0, countPending: false, countError: null, counted: false })
      }
      set({ loading: false, error: result.error.message })
      return
    }
    const page = result.value
    const fresh = blocksList !== list.id
    blocksList = list.id
    const known = exactCount !== null && exactCount.list === list.id ? exactCount.total : null
    const waiting = page.countPending && known === null
    set((state) => {
      const blocks: Record<number, readonly UserRow[]> = { ...(fresh ? {} : state.blocks) }
      // A page that starts elsewhere than asked (the list shrank) holds no block: the new total is enough.
      if ((page.start ?? position) === position) blocks[block] = page.users
      else delete blocks[block]
      return {
        blocks: trimBlocks(blocks, blocksFor(inView.first, inView.end), MAX_CACHED_BLOCKS),
        // Still being counted: as many as seen so far (the answers only ever show more), until the count comes.
        total: known ?? (page.countPending ? Math.max(page.total, fresh ? 0 : state.total, (page.start ?? position) + page.users.length) : page.total),
        countPending: waiting,
        countError: null,
        counted: true,
        loading: false,
        loaded: true,
        error: null
      }
    })
    if (waiting && countAsked !== list.id) void countList(list)
  }

  const fetchMissing = (): Promise<void> => {
    const { blocks, total, loaded } = get()
    const current = blocksList === lists.current().id
    const wanted = blocksFor(inView.first, inView.end).filter(
      (block) =>
        !pending.has(block) &&
        !(current && blocks[block] && !stale.has(block)) &&
        // Past the end of the list as last counted (the first block is always asked for).
        !(block > 0 && current && loaded && block * BLOCK_SIZE >= total)
    )
    return Promise.all(wanted.map((block) => fetchBlock(block))).then(() => undefined)
  }

  const reload = ({ toTop }: { toTop: boolean }): Promise<void> => {
    lists.next()
    pending = new Set()
    stale = new Set()
    if (toTop) {
      inView = { first: 0, end: Math.max(1, inView.end - inView.first) }
      set((state) => ({ listVersion: state.listVersion + 1 }))
    }
    // A new filter, sort or search: the count shown so far is another list's.
    set({ loading: true, error: null, ...(toTop ? { counted: false } : {}) })
    return fetchMissing()
  }

  return {
    query: '',
    status: null,
    groupId: null,
    ...NO_EXTRA_FILTERS,
    groups: [],
    columns: loadShownColumns(),
    sort: 'name',
    direction: 'asc',
    blocks: {},
    total: 0,
    counted: false,
    countPending: false,
    countError: null,
    loading: false,
    error: null,
    loaded: false,
    listVersion: 0,
    create: IDLE,

    actions: {
      open: (status) => {
        if (status) set({ status, query: '' })
        // The group filter's choices; a failure leaves the filter out, not the list.
        void call('listGroups', {}).then((result) => {
          if (result.ok) set({ groups: result.value })
        })
        return reload({ toTop: true })
      },

      // No debounce: a block is one indexed query of a few milliseconds, and the
      // answers to keystrokes that were typed over are dropped.
      setQuery: (query) => {
        set({ query })
        return reload({ toTop: true })
      },

      setStatus: (status) => {
        set({ status })
        return reload({ toTop: true })
      },

      setGroup: (groupId) => {
        set({ groupId })
        return reload({ toTop: true })
      },

      setFilters: (filters) => {
        set(filters)
        return reload({ toTop: true })
      },

      setColumns: (columns) => {
        saveShownColumns(columns)
        set({ columns })
        const { sort } = get()
        if (!(TIME_SORT_KEYS as readonly string[]).includes(sort) || columns.includes(sort as TimeSortKey)) return Promise.resolve()
        set({ sort: 'name', direction: 'asc' })
        return reload({ toTop: true })
      },

      sortBy: (sort) => {
        const { sort: current, direction } = get()
        set({ sort, direction: sort === current && direction === 'asc' ? 'desc' : 'asc' })
        return reload({ toTop: true })
      },

      clearFilters: () => {
        set({ query: '', status: null, groupId: null, ...NO_EXTRA_FILTERS })
        return reload({ toTop: true })
      },

      restoreFilter: (filter, shown) => {
        set(filter)
        return shown ? reload({ toTop: true }) : Promise.resolve()
      },

      close: () => {
        blocksList = lists.next().id
        pending = new Set()
        stale = new Set()
        set({ blocks: {}, total: 0, counted: false, countPending: false, countError: null, loading: false, loaded: false, error: null, create: IDLE })
      },

      showRows: (first, end) => {
        inView = { first, end }
        return fetchMissing()
      },

      refresh: () => {
        // Not yet shown: its first answers, on their way, may have been asked before the change (asked again at the
        // next question); closed, there is nothing to follow.
        if (!get().loaded) return Promise.resolve(!get().loading)
        // The same list, fetched anew: answers for it still on their way may predate the change.
        blocksList = lists.next().id
        pending = new Set()
        const shown = blocksFor(inView.first, inView.end)
        stale = new Set(shown)
        // Blocks out of view would be stale when scrolled back to: fetched then instead.
        set((state) => {
          const blocks: Record<number, readonly UserRow[]> = {}
          for (const block of shown) if (state.blocks[block]) blocks[block] = state.blocks[block]
          return { blocks }
        })
        return fetchMissing().then(() => true)
      },

      retryCount: () => {
        set({ countPending: true, countError: null })
        return countList(lists.current())
      },

      createUser: async (input) => {
        const result = await runAction({ show: (create) => set({ create }), send: () => call('createUser', input), success: (user) => `${user.name} was added.` })
        if (!result?.ok) return null
        void reload({ toTop: false })
        return result.value
      },

      resetCreate: () => set({ create: IDLE })
    }
  }
}
