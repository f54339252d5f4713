// Audit log: newest first, filtered by user and action, with the chain's state.
import type { ListAuditInput } from '../../../../shared/contract'
import type { AuditAction, AuditChainStatus, AuditEntry } from '../../../../shared/domain'
import type { SliceCreator } from '../app-state'

const PAGE_SIZE = 50

export interface AuditSlice {
  user: string
  action: AuditAction | null
  entries: AuditEntry[]
  nextCursor: number | null
  chain: AuditChainStatus | null
  loading: boolean
  loadingMore: boolean
  error: string | null

  actions: {
    load: () => Promise<void>
    applyFilter: (filter: { user: string; action: AuditAction | null }) => Promise<void>
    loadMore: () => Promise<void>
  }
}

export const createAuditSlice: SliceCreator<'audit'> = ({ set, get, call }) => {
  let latestRequest = 0

  const input = (before?: number): ListAuditInput => {
    const { user, action } = get()
    const filter: ListAuditInput = { limit: PAGE_SIZE }
    if (user.trim()) filter.user = user.trim()
    if (action) filter.action = action
    if (before !== undefined) filter.before = before
    return filter
  }

  return {
    user: '',
    action: null,
    entries: [],
    nextCursor: null,
    chain: null,
    loading: false,
    loadingMore: false,
    error: null,

    actions: {
      load: async () => {
        const request = ++latestRequest
        set({ loading: true, error: null })
        const result = await call('listAudit', input())
        if (request !== latestRequest) return
        if (result.ok) set({ loading: false, entries: result.value.entries, nextCursor: result.value.nextCursor, chain: result.value.chain })
        else set({ loading: false, error: result.error.message })
      },

      applyFilter: (filter) => {
        set(filter)
        return get().actions.load()
      },

      loadMore: async () => {
        const { nextCursor, loadingMore } = get()
        if (nextCursor === null || loadingMore) return
        const generation = latestRequest
        set({ loadingMore: true, error: null })
        const result = await call('listAudit', input(nextCursor))
        if (generation !== latestRequest) {
          set({ loadingMore: false })
          return
        }
        if (result.ok) {
          set((state) => ({
            loadingMore: false,
            entries: [...state.entries, ...result.value.entries],
            nextCursor: result.value.nextCursor,
            chain: result.value.chain
          }))
        } else {
          set({ loadingMore: false, error: result.error.message })
        }
      }
    }
  }
}
