// Audit log: newest first, filtered by user and action, with the state of its
// chain and a full verification that the core runs in the background.
import type { ListAuditInput } from '../../../../shared/contract'
import type { AuditAction, AuditChainStatus, AuditEntry } from '../../../../shared/domain'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly, type Ticket } from '../latest'

const PAGE_SIZE = 50
/** How often the screen asks how far a full verification got. */
export const CHAIN_POLL_MS = 500

export interface AuditSlice {
  user: string
  action: AuditAction | null
  entries: AuditEntry[]
  nextCursor: number | null
  chain: AuditChainStatus | null
  loading: boolean
  loadingMore: boolean
  error: string | null
  /** Asking the core to verify the whole log. */
  verify: ActionStatus

  actions: {
    /** The screen opened: load the newest entries and follow a verification under way. */
    open: () => Promise<void>
    /** The screen closed: stop asking for the verification's progress. */
    close: () => void
    load: () => Promise<void>
    applyFilter: (filter: { user: string; action: AuditAction | null }) => Promise<void>
    loadMore: () => Promise<void>
    /** The directory changed: new entries go on top of those shown (the older pages loaded stay). */
    refresh: () => Promise<Followed>
    verifyWholeLog: () => Promise<void>
  }
}

export const createAuditSlice: SliceCreator<'audit'> = ({ set, get, call }) => {
  // A new filter starts a new list; pages still on their way for the old one are dropped.
  const lists = latestOnly()
  // Each opening of the screen is one watch; closing it ends the watch, and a
  // progress answer for an ended one is dropped.
  const watches = latestOnly()
  let watch: Ticket | null = null
  /** The watch a progress question is scheduled or on its way for (one at a time). */
  let polling: Ticket | null = null
  let timer: ReturnType<typeof setTimeout> | undefined

  // Every answer brings the chain's state: each question takes a number, and an answer to one asked before the
  // answer shown is older (a page asked before "Verify the whole log" would show it not verifying, and offer it again).
  let chainAsked = 0
  let chainShown = 0
  const askChain = () => ++chainAsked

  const showChain = (chain: AuditChainStatus, asked: number) => {
    if (asked >= chainShown) {
      chainShown = asked
      set({ chain })
    }
    // The chain as shown, newer or not, is followed while it verifies.
    const shown = get().chain
    const current = watch
    if (!shown?.verifying || current === null || !current.isLatest() || polling === current) return
    polling = current
    timer = setTimeout(() => void poll(current), CHAIN_POLL_MS)
  }

  const poll = async (ticket: Ticket) => {
    const asked = askChain()
    const result = await call('getAuditChainStatus', {})
    if (!ticket.isLatest()) return
    polling = null
    if (result.ok) showChain(result.value, asked)
    else set({ verify: { pending: false, error: result.error.message, success: null } })
  }

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
    verify: IDLE,

    actions: {
      open: () => {
        watch = watches.next()
        set({ verify: IDLE })
        return get().actions.load()
      },

      close: () => {
        watches.next()
        watch = null
        polling = null
        clearTimeout(timer)
      },

      load: async () => {
        const ticket = lists.next()
        set({ loadingMore: false })
        let asked = 0
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, error }),
          send: () => {
            asked = askChain()
            return call('listAudit', input())
          },
          keep: ({ entries, nextCursor, chain }) => {
            set({ entries, nextCursor })
            showChain(chain, asked)
          },
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
        const asked = askChain()
        await runAction({
          show: ({ pending, error }) => set({ loadingMore: pending, error }),
          send: () => call('listAudit', input(nextCursor)),
          keep: (page) => {
            set((state) => ({ entries: [...state.entries, ...page.entries], nextCursor: page.nextCursor }))
            showChain(page.chain, asked)
          },
          isCurrent: ticket.isLatest
        })
      },

      refresh: async () => {
        if (get().loading || get().loadingMore) return false
        // A new filter meanwhile makes this answer moot; a next page does not.
        const ticket = lists.current()
        const asked = askChain()
        const result = await call('listAudit', input())
        if (!ticket.isLatest()) return false
        if (!result.ok) return true
        const page = result.value
        set((state) => {
          const newest = state.entries[0]?.id ?? 0
          const added = page.entries.filter((entry) => entry.id > newest)
          if (added.length === 0) return {}
          // More entries came than a page holds: those between would be missing, so the list starts again at the newest.
          if (added.length === page.entries.length && page.nextCursor !== null) return { entries: page.entries, nextCursor: page.nextCursor }
          return { entries: [...added, ...state.entries] }
        })
        showChain(page.chain, asked)
        return true
      },

      verifyWholeLog: async () => {
        if (get().verify.pending || get().chain?.verifying) return
        const asked = askChain()
        await runAction({ show: (verify) => set({ verify }), send: () => call('verifyWholeAuditLog', {}), keep: (chain) => showChain(chain, asked) })
      }
    }
  }
}
