// Account > Users: the filtered, sorted, paged list, and adding a user.
import { create } from 'zustand'
import type { ListUsersInput } from '../../../shared/contract'
import type { Role, SortDirection, TwoFactorStatus, UserDetails, UserRow, UserSortKey } from '../../../shared/domain'
import { callApi } from '../api/call-api'
import { failed, IDLE, PENDING, succeeded, type FormStatus } from './form-status'

export const PAGE_SIZE = 50
const SEARCH_DEBOUNCE_MS = 150

export interface UserFilter {
  query: string
  status: TwoFactorStatus | null
  sort: UserSortKey
  direction: SortDirection
}

interface UsersState extends UserFilter {
  users: UserRow[]
  total: number
  /** The search matched more users than a search lists: ask for a narrower one. */
  totalCapped: boolean
  nextCursor: string | null
  loading: boolean
  loadingMore: boolean
  error: string | null
  /** Whether the list has been loaded at least once (for the empty state). */
  loaded: boolean
  create: FormStatus

  /** Open the screen, optionally filtered to one status (from Account > Security). */
  open: (status?: TwoFactorStatus) => Promise<void>
  setQuery: (query: string) => void
  setStatus: (status: TwoFactorStatus | null) => Promise<void>
  sortBy: (sort: UserSortKey) => Promise<void>
  clearFilters: () => Promise<void>
  loadMore: () => Promise<void>
  createUser: (input: { name: string; email: string; role: Role; password: string }) => Promise<UserDetails | null>
  resetCreate: () => void
}

// Each request gets a number; an answer to anything but the latest is dropped,
// so a slow search for "a" cannot overwrite the results for "ab".
let latestRequest = 0
let searchTimer: ReturnType<typeof setTimeout> | undefined

function listInput(filter: UserFilter, cursor?: string): ListUsersInput {
  const input: ListUsersInput = { sort: filter.sort, direction: filter.direction, limit: PAGE_SIZE }
  const query = filter.query.trim()
  if (query) input.query = query
  if (filter.status) input.status = filter.status
  if (cursor) input.cursor = cursor
  return input
}

export const useUsersStore = create<UsersState>()((set, get) => {
  const fetchFirstPage = async () => {
    clearTimeout(searchTimer)
    const request = ++latestRequest
    set({ loading: true, error: null })
    const result = await callApi('listUsers', listInput(get()))
    if (request !== latestRequest) return
    if (result.ok) {
      set({
        loading: false,
        loaded: true,
        users: result.value.users,
        total: result.value.total,
        totalCapped: result.value.totalCapped === true,
        nextCursor: result.value.nextCursor
      })
    } else {
      set({ loading: false, error: result.error.message })
    }
  }

  return {
    query: '',
    status: null,
    sort: 'name',
    direction: 'asc',
    users: [],
    total: 0,
    totalCapped: false,
    nextCursor: null,
    loading: false,
    loadingMore: false,
    error: null,
    loaded: false,
    create: IDLE,

    open: (status) => {
      if (status) set({ status, query: '' })
      return fetchFirstPage()
    },

    setQuery: (query) => {
      set({ query })
      clearTimeout(searchTimer)
      searchTimer = setTimeout(() => void fetchFirstPage(), SEARCH_DEBOUNCE_MS)
    },

    setStatus: (status) => {
      set({ status })
      return fetchFirstPage()
    },

    sortBy: (sort) => {
      const { sort: current, direction } = get()
      set({ sort, direction: sort === current && direction === 'asc' ? 'desc' : 'asc' })
      return fetchFirstPage()
    },

    clearFilters: () => {
      set({ query: '', status: null })
      return fetchFirstPage()
    },

    loadMore: async () => {
      const { nextCursor, loadingMore } = get()
      if (!nextCursor || loadingMore) return
      // A new search while this page loads makes the page stale.
      const generation = latestRequest
      set({ loadingMore: true, error: null })
      const result = await callApi('listUsers', listInput(get(), nextCursor))
      if (generation !== latestRequest) {
        set({ loadingMore: false })
        return
      }
      if (result.ok) {
        set((state) => ({
          loadingMore: false,
          users: [...state.users, ...result.value.users],
          total: result.value.total,
          nextCursor: result.value.nextCursor
        }))
      } else {
        set({ loadingMore: false, error: result.error.message })
      }
    },

    createUser: async (input) => {
      set({ create: PENDING })
      const result = await callApi('createUser', input)
      if (!result.ok) {
        set({ create: failed(result.error) })
        return null
      }
      set({ create: succeeded(`${result.value.name} was added.`) })
      void fetchFirstPage()
      return result.value
    },

    resetCreate: () => set({ create: IDLE })
  }
})
