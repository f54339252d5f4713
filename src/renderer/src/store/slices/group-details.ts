// Account > Groups > a group: its facts, what "Enforce 2FA for all users"
// leaves out, and every change to it. Each change that touches who must
// activate 2FA is first asked as a dry run (addGroupMembers / removeGroupMembers
// with dryRun, previewEnforcement) so its confirmation states the exact effect;
// the sensitive ones may ask "Confirm it's you" (api/caller.ts does that).
// The members themselves are group-members.ts.
import type { GroupMembersResult } from '../../../../shared/contract'
import type { EnforcementPreview, GroupSummary, SecurityOverview } from '../../../../shared/domain'
import type { Result } from '../../../../shared/errors'
import { IDLE, runAction, withStatus, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'
import { enforcedMessage, exemptionMessage, membersChangedMessage } from '../../lib/group-wording'

export type GroupAction = 'addMembers' | 'removeMember' | 'enforce' | 'revoke' | 'exempt' | 'delete'

/** A dry run's answer, for the confirmation that follows it. */
export type GroupCheck =
  | { kind: 'add'; emails: string[]; result: GroupMembersResult }
  | { kind: 'remove'; emails: string[]; result: GroupMembersResult }
  | { kind: 'enforce'; graceDays: number; preview: EnforcementPreview }
  | { kind: 'revoke'; preview: EnforcementPreview }

/** What the global policy is and which group it leaves out. */
export type PolicyFacts = Pick<SecurityOverview, 'enforcedForAll' | 'exemptionGroup'>

export interface GroupDetailsSlice {
  groupId: number | null
  group: GroupSummary | null
  loading: boolean
  loadError: string | null
  policy: PolicyFacts | null
  /** What turning the exemption switch would do now (previewEnforcement), or null until asked. */
  exemptionEffect: EnforcementPreview | null
  status: Record<GroupAction, ActionStatus>
  /** The dry run or preview under way, or what it said. */
  check: ActionStatus
  checked: GroupCheck | null
  /** The Add members field the app refused. */
  invalidField: 'emails' | null

  actions: {
    open: (groupId: number) => Promise<void>
    /** Something changed elsewhere: the facts and the members held, fetched again in place. */
    refresh: () => Promise<Followed>
    checkAdd: (emails: string[]) => Promise<void>
    checkRemove: (email: string) => Promise<void>
    checkEnforce: (graceDays: number) => Promise<void>
    checkRevoke: () => Promise<void>
    /** A dialog opens or closes: no dry run holds any more. */
    clearCheck: () => void
    addMembers: (emails: string[]) => Promise<boolean>
    removeMember: (email: string) => Promise<boolean>
    enforce: (graceDays: number) => Promise<boolean>
    revoke: () => Promise<boolean>
    setExempt: (exempt: boolean) => Promise<boolean>
    /** Asks what turning the exemption switch would do, for its hint. */
    previewExemption: () => Promise<void>
    /** Deletes the group and, once it went, goes back to the list, which says so. */
    deleteGroup: () => Promise<boolean>
    clearStatus: (action: GroupAction) => void
  }
}

const NO_STATUS: Record<GroupAction, ActionStatus> = { addMembers: IDLE, removeMember: IDLE, enforce: IDLE, revoke: IDLE, exempt: IDLE, delete: IDLE }

const policyFacts = (overview: SecurityOverview): PolicyFacts => ({ enforcedForAll: overview.enforcedForAll, exemptionGroup: overview.exemptionGroup })

export const createGroupDetailsSlice: SliceCreator<'groupDetails'> = ({ set, get, app, call }) => {
  // Loads and changes take a ticket; a refresh's answer is dropped when either started after it.
  const loads = latestOnly()
  const checks = latestOnly()
  const busy = () => get().loading || get().check.pending || Object.values(get().status).some((status) => status.pending)

  const facts = async (groupId: number) => {
    const [group, overview] = await Promise.all([call('getGroup', { groupId }), call('getSecurityOverview', {})])
    return { group, overview }
  }

  /** A change: its status, the group it answers, and the members and the policy afresh (their statuses follow from it). */
  const change = async <T>(action: GroupAction, send: (groupId: number) => Promise<Result<T>>, groupOf: (value: T) => GroupSummary | null, success: (value: T) => string) => {
    const groupId = get().groupId
    if (groupId === null) return false
    loads.next()
    const result = await runAction({
      show: (status) => set((state) => ({ status: withStatus(state.status, action, status) })),
      send: () => send(groupId),
      keep: (value) => {
        const group = groupOf(value)
        if (group) set({ group })
      },
      success,
      isCurrent: () => get().groupId === groupId
    })
    if (result?.ok) {
      set({ checked: null, check: IDLE })
      // The policy leaves other people out now: the group's counts change with the members' statuses.
      if (action === 'exempt') await get().actions.refresh()
      else if (action !== 'delete') await app().groupMembers.actions.refresh()
    }
    return result?.ok === true
  }

  const dryRun = async (send: (groupId: number) => Promise<Result<GroupCheck>>) => {
    const groupId = get().groupId
    if (groupId === null) return
    const ticket = checks.next()
    set({ checked: null, invalidField: null })
    const result = await runAction({
      show: (check) => set({ check }),
      send: () => send(groupId),
      keep: (checked) => set({ checked }),
      isCurrent: () => ticket.isLatest() && get().groupId === groupId
    })
    if (result && !result.ok && result.error.field?.startsWith('emails')) set({ invalidField: 'emails' })
  }

  const members = (kind: 'add' | 'remove', emails: string[]) => (groupId: number) =>
    call(kind === 'add' ? 'addGroupMembers' : 'removeGroupMembers', { groupId, emails, dryRun: true }).then((result): Result<GroupCheck> => (result.ok ? { ok: true, value: { kind, emails, result: result.value } } : result))

  return {
    groupId: null,
    group: null,
    loading: false,
    loadError: null,
    policy: null,
    exemptionEffect: null,
    status: NO_STATUS,
    check: IDLE,
    checked: null,
    invalidField: null,

    actions: {
      open: async (groupId) => {
        const ticket = loads.next()
        checks.next()
        set((state) => ({ groupId, status: NO_STATUS, check: IDLE, checked: null, invalidField: null, loading: true, loadError: null, ...(state.groupId === groupId ? {} : { group: null, policy: null }) }))
        void app().groupMembers.actions.open(groupId)
        const { group, overview } = await facts(groupId)
        if (!ticket.isLatest()) return
        if (!group.ok) {
          set({ loading: false, loadError: group.error.message })
          return
        }
        set({ loading: false, group: group.value, policy: overview.ok ? policyFacts(overview.value) : null })
      },

      refresh: async () => {
        const groupId = get().groupId
        if (busy()) return false
        if (groupId === null || get().group === null) return true
        const ticket = loads.next()
        const { group, overview } = await facts(groupId)
        if (!ticket.isLatest() || busy()) return false
        if (!group.ok) {
          // Deleted elsewhere: the screen says so in the core's words.
          if (group.error.code === 'NOT_FOUND') set({ group: null, loadError: group.error.message })
          return true
        }
        set({ group: group.value, ...(overview.ok ? { policy: policyFacts(overview.value) } : {}) })
        return app().groupMembers.actions.refresh()
      },

      checkAdd: (emails) => dryRun(members('add', emails)),
      checkRemove: (email) => dryRun(members('remove', [email])),
      checkEnforce: (graceDays) =>
        dryRun((groupId) =>
          call('previewEnforcement', { target: { kind: 'group', groupId }, graceDays }).then((result): Result<GroupCheck> => (result.ok ? { ok: true, value: { kind: 'enforce', graceDays, preview: result.value } } : result))
        ),
      checkRevoke: () =>
        dryRun((groupId) =>
          call('previewEnforcement', { target: { kind: 'group', groupId }, revoke: true }).then((result): Result<GroupCheck> => (result.ok ? { ok: true, value: { kind: 'revoke', preview: result.value } } : result))
        ),

      clearCheck: () => {
        checks.next()
        set({ check: IDLE, checked: null, invalidField: null })
      },

      addMembers: (emails) =>
        change(
          'addMembers',
          (groupId) => call('addGroupMembers', { groupId, emails }),
          (result) => result.group,
          (result) => membersChangedMessage(result, 'add')
        ),

      removeMember: (email) =>
        change(
          'removeMember',
          (groupId) => call('removeGroupMembers', { groupId, emails: [email] }),
          (result) => result.group,
          (result) => membersChangedMessage(result, 'remove')
        ),

      enforce: (graceDays) => {
        const wasEnforced = get().group?.enforced === true
        return change(
          'enforce',
          (groupId) => call('enforceGroup', { groupId, graceDays }),
          (group) => group,
          (group) => enforcedMessage(group, wasEnforced)
        )
      },

      revoke: () =>
        change(
          'revoke',
          (groupId) => call('revokeGroupEnforcement', { groupId }),
          (group) => group,
          (group) => `Enforcement for ${group.name} was revoked.`
        ),

      setExempt: (exempt) =>
        change(
          'exempt',
          (groupId) => call('setPolicyExemptionGroup', { groupId: exempt ? groupId : null }),
          (overview) => {
            set({ policy: policyFacts(overview) })
            // The switch shows the answer at once; the counts follow with the refresh.
            const group = get().group
            return group ? { ...group, exemptFromPolicy: overview.exemptionGroup?.id === group.id } : null
          },
          () => exemptionMessage(get().group?.name ?? 'The group', exempt)
        ),

      previewExemption: async () => {
        const group = get().group
        if (!group) return
        const result = await call('previewEnforcement', { target: { kind: 'exemption', groupId: group.exemptFromPolicy ? null : group.id } })
        if (get().group?.id === group.id) set({ exemptionEffect: result.ok ? result.value : null })
      },

      deleteGroup: async () => {
        const group = get().group
        const ok = await change(
          'delete',
          (groupId) => call('deleteGroup', { groupId }),
          () => null,
          () => `${group?.name ?? 'The group'} was deleted. Its members are still users.`
        )
        if (ok) {
          app().groups.actions.announce(`${group?.name ?? 'The group'} was deleted. Its members are still users.`)
          app().nav.actions.navigate({ name: 'groups' })
        }
        return ok
      },

      clearStatus: (action) => set((state) => ({ status: { ...state.status, [action]: state.status[action].pending ? state.status[action] : IDLE } }))
    }
  }
}
