// Groups: local groups made in the app or the command line (and groups read
// from the directory by a sync), their members, and enforcement by group.
// A group's members are listed with listUsers({ groupId }).
import type { EnforcementPreview, GroupSummary } from '../domain'
import type { GraceInput } from './enforcement'
import type { ListsEvery, NoInput } from './slice'

export interface GroupMembersInput {
  groupId: number
  /** Up to 10,000 emails; every one must name a user, or nothing changes. */
  emails: string[]
  /** Answer what would change without changing anything. */
  dryRun?: boolean
}

export interface GroupMembersResult {
  /** Members added (or removed); already members (or not members) are left as they are. */
  changed: number
  unchanged: number
  /** Of the changed users, who now has to activate 2FA (or no longer has to), and who is overdue at once. */
  effect: EnforcementPreview
  group: GroupSummary
}

export interface GroupsApi {
  listGroups: { input: NoInput; output: GroupSummary[] }
  getGroup: { input: { groupId: number }; output: GroupSummary }
  createGroup: { input: { name: string }; output: GroupSummary }
  deleteGroup: { input: { groupId: number }; output: null }
  addGroupMembers: { input: GroupMembersInput; output: GroupMembersResult }
  removeGroupMembers: { input: GroupMembersInput; output: GroupMembersResult }
  /** Enforces 2FA for the members (one row, at any size); when already enforced, moves the group's deadline. */
  enforceGroup: { input: { groupId: number } & GraceInput; output: GroupSummary }
  revokeGroupEnforcement: { input: { groupId: number }; output: GroupSummary }
}

export const GROUPS_METHODS = [
  'listGroups',
  'getGroup',
  'createGroup',
  'deleteGroup',
  'addGroupMembers',
  'removeGroupMembers',
  'enforceGroup',
  'revokeGroupEnforcement'
] as const
const listed: ListsEvery<GroupsApi, typeof GROUPS_METHODS> = true
void listed
