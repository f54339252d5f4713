// A group's members, as its details show them: pages by cursor, "Load more"
// for the next, and never more than MAX_MEMBER_ROWS rows held: past that the
// first pages are let go (the screen says which members it shows and goes back
// to the first), so a group of 100,000 costs what one of 1,000 does.
import type { UserPage, UserRow } from '../../../../shared/domain'
import type { Result } from '../../../../shared/errors'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export const MEMBERS_PAGE_SIZE = 100
export const MAX_MEMBER_PAGES = 10
export const MAX_MEMBER_ROWS = MEMBERS_PAGE_SIZE * MAX_MEMBER_PAGES

/** One page as it was asked for: the cursor it started at (null: the first member) and its rows. */
export interface MemberPage {
  cursor: string | null
  rows: UserRow[]
}

export interface GroupMembersSlice {
  groupId: number | null
  pages: MemberPage[]
  /** Members before the first page held (let go to keep memory constant). */
  skipped: number
  nextCursor: string | null
  total: number
  /** The first page answered. */
  loaded: boolean
  loading: boolean
  error: string | null

  actions: {
    /** The group's first page, afresh. */
    open: (groupId: number) => Promise<void>
    loadMore: () => Promise<void>
    /** Back to the first members after earlier pages were let go. */
    backToStart: () => Promise<void>
    /** The pages held, fetched again in place (a change here or elsewhere). */
    refresh: () => Promise<Followed>
  }
}

export const createGroupMembersSlice: SliceCreator<'groupMembers'> = ({ set, get, call }) => {
  // A newer open or refresh makes an older answer moot.
  const requests = latestOnly()

  const page = (groupId: number, cursor: string | null): Promise<Result<UserPage>> =>
    call('listUsers', cursor === null ? { groupId, limit: MEMBERS_PAGE_SIZE } : { groupId, cursor, limit: MEMBERS_PAGE_SIZE })

  const open = async (groupId: number) => {
    const ticket = requests.next()
    set((state) => ({ groupId, loading: true, error: null, ...(state.groupId === groupId ? {} : { pages: [], loaded: false, skipped: 0, nextCursor: null, total: 0 }) }))
    const result = await page(groupId, null)
    if (!ticket.isLatest()) return
    if (!result.ok) {
      set({ loading: false, error: result.error.message })
      return
    }
    set({ loading: false, loaded: true, pages: [{ cursor: null, rows: result.value.users }], skipped: 0, nextCursor: result.value.nextCursor, total: result.value.total })
  }

  return {
    groupId: null,
    pages: [],
    skipped: 0,
    nextCursor: null,
    total: 0,
    loaded: false,
    loading: false,
    error: null,

    actions: {
      open,

      loadMore: async () => {
        const { groupId, nextCursor, loading } = get()
        if (groupId === null || nextCursor === null || loading) return
        const ticket = requests.next()
        set({ loading: true, error: null })
        const result = await page(groupId, nextCursor)
        if (!ticket.isLatest()) return
        if (!result.ok) {
          set({ loading: false, error: result.error.message })
          return
        }
        set((state) => {
          const pages = [...state.pages, { cursor: nextCursor, rows: result.value.users }]
          const dropped = pages.length > MAX_MEMBER_PAGES ? pages.splice(0, pages.length - MAX_MEMBER_PAGES) : []
          const skipped = state.skipped + dropped.reduce((sum, gone) => sum + gone.rows.length, 0)
          return { loading: false, pages, skipped, nextCursor: result.value.nextCursor, total: result.value.total }
        })
      },

      backToStart: async () => {
        const { groupId } = get()
        if (groupId !== null) await open(groupId)
      },

      refresh: async () => {
        const { groupId, pages, loaded, loading } = get()
        if (loading) return false
        if (groupId === null || !loaded) return true
        const ticket = requests.next()
        // Page after page from the first one held, each from where the last answer ended: no member falls between two pages.
        const fresh: MemberPage[] = []
        let cursor = pages[0]?.cursor ?? null
        let last: UserPage | null = null
        for (let index = 0; index < Math.max(1, pages.length); index++) {
          const result = await page(groupId, cursor)
          if (!ticket.isLatest()) return false
          if (!result.ok) return true
          last = result.value
          fresh.push({ cursor, rows: result.value.users })
          cursor = result.value.nextCursor
          if (cursor === null) break
        }
        if (last === null) return true
        // Every member held was removed meanwhile: start again from the first.
        if (fresh[0]?.cursor !== null && fresh.every((held) => held.rows.length === 0)) {
          await open(groupId)
          return true
        }
        const skipped = fresh[0]?.cursor === null ? 0 : Math.min(get().skipped, Math.max(0, last.total - MEMBERS_PAGE_SIZE))
        set({ pages: fresh, skipped, nextCursor: last.nextCursor, total: last.total, error: null })
        return true
      }
    }
  }
}
