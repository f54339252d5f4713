// Enforcement: who must activate 2FA, for one user ("Enforce 2FA activation"),
// for a group, or for everyone ("Enforce 2FA for all users" / "Revoke
// enforcement"), and by when: every enforcement can give a grace period of
// whole days (none: activation at the next sign-in, as before).
import type { Enforcement, EnforcementPreview, SecurityOverview, UserDetails } from '../domain'
import type { ListsEvery, NoInput } from './slice'

/** "Users have N days to activate 2FA": 0 or absent, at the next sign-in. */
export interface GraceInput {
  graceDays?: number
}

/** What an enforcement change would do, for its confirmation. */
export type EnforcementTarget =
  | { kind: 'all' }
  | { kind: 'group'; groupId: number }
  /** The exemption group of the policy set to this group (null: none); `revoke` and `graceDays` do not apply. */
  | { kind: 'exemption'; groupId: number | null }

export interface EnforcementApi {
  /** The Security section's checkbox: the override that makes the user's effective enforcement equal `enforce`. */
  setEnforceTwoFactorActivation: { input: { userId: number; enforce: boolean } & GraceInput; output: UserDetails }
  setEnforcement: { input: { userId: number; enforcement: Enforcement } & GraceInput; output: UserDetails }
  getSecurityOverview: { input: NoInput; output: SecurityOverview }
  /** Enforces for all users; when already enforced, moves the deadline (for everyone it covers, at once). */
  enforceForAllUsers: { input: GraceInput; output: SecurityOverview }
  revokeEnforcement: { input: NoInput; output: SecurityOverview }
  /** Exact counts of what enforcing (or, with `revoke`, revoking) would change, without changing anything. */
  previewEnforcement: { input: { target: EnforcementTarget; revoke?: boolean } & GraceInput; output: EnforcementPreview }
  /** The group the global policy leaves out (null: none). */
  setPolicyExemptionGroup: { input: { groupId: number | null }; output: SecurityOverview }
  /** Account > Security: minutes without activity after which a session ends (5 to 60; getAppState tells every screen). */
  setIdleTimeout: { input: { minutes: number }; output: { idleTimeoutMinutes: number } }
}

export const ENFORCEMENT_METHODS = [
  'setEnforceTwoFactorActivation',
  'setEnforcement',
  'getSecurityOverview',
  'enforceForAllUsers',
  'revokeEnforcement',
  'previewEnforcement',
  'setPolicyExemptionGroup',
  'setIdleTimeout'
] as const
const listed: ListsEvery<EnforcementApi, typeof ENFORCEMENT_METHODS> = true
void listed
