// Enforcement: who must activate 2FA, for one user ("Enforce 2FA activation")
// or for everyone ("Enforce 2FA for all users" / "Revoke enforcement").
import type { Enforcement, SecurityOverview, UserDetails } from '../domain'
import type { ListsEvery, NoInput } from './slice'

export interface EnforcementApi {
  /** The Security section's checkbox: the override that makes the user's effective enforcement equal `enforce`. */
  setEnforceTwoFactorActivation: { input: { userId: number; enforce: boolean }; output: UserDetails }
  setEnforcement: { input: { userId: number; enforcement: Enforcement }; output: UserDetails }
  getSecurityOverview: { input: NoInput; output: SecurityOverview }
  enforceForAllUsers: { input: NoInput; output: SecurityOverview }
  revokeEnforcement: { input: NoInput; output: SecurityOverview }
}

export const ENFORCEMENT_METHODS = ['setEnforceTwoFactorActivation', 'setEnforcement', 'getSecurityOverview', 'enforceForAllUsers', 'revokeEnforcement'] as const
const listed: ListsEvery<EnforcementApi, typeof ENFORCEMENT_METHODS> = true
void listed
