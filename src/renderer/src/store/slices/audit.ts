// Audit log: newest first, filtered by user and action, with the chain's state.
import type { ListAuditInput } from '../../../../shared/contract'
import type { AuditAction, AuditChainStatus, AuditEntry } from '../../../../shared/domain'
import { runAction } from '../action-status'
import type { SliceCreator } from '../app-state'
import { latestOnly } from '../latest'

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
  // A new filter starts a new list; pages still on their way for the old one are dropped.
  const lists = latestOnly()

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
        const ticket = lists.next()
        set({ loadingMore: false })
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, error }),
          send: () => call('listAudit', input()),
          keep: ({ entries, nextCursor, chain }) => set({ entries, nextCursor, chain }),
          isCurrent: ticket.isLatest
        })
      },

      applyFilter: (filter) => {
        set(filter)
        return get().actions.load()
      },

      loadMore: async () => {
        const { nextCursor, loadingMore } = get()
        if (nextCursor === null || loadingMore) return
        const ticket = lists.current()
        await runAction({
          show: ({ pending, error }) => set({ loadingMore: pending, error }),
          send: () => call('listAudit', input(nextCursor)),
          keep: (page) => set((state) => ({ entries: [...state.entries, ...page.entries], nextCursor: page.nextCursor, chain: page.chain })),
          isCurrent: ticket.isLatest
        })
      }
    }
  }
}
