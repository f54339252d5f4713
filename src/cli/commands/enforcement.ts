// twofa-admin enforce-all | revoke-all | status: the global policy and the 2FA distribution.
import { ENFORCEMENT_LABEL, STATUS_LABEL } from '../../shared/labels'
import { allowOnly, expectPositionals, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso } from '../output'
import { call, withCore } from '../run-core'

export const ENFORCEMENT_USAGE = `  enforce-all                            ${ENFORCEMENT_LABEL.forAll}
  revoke-all                             ${ENFORCEMENT_LABEL.revoke}
  status [--json]                        2FA distribution among users`

export async function policyCommand(command: 'enforce-all' | 'revoke-all', rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  allowOnly(allFlags, command, [])
  expectPositionals(rest, 0, `no arguments after ${command}`)
  return withCore(dbPath, async (core) => {
    const overview = await call(core, command === 'enforce-all' ? 'enforceForAllUsers' : 'revokeEnforcement', {})
    await io.stdout(
      command === 'enforce-all'
        ? `2FA is now enforced for all users: ${overview.distribution.pending} must activate it at their next login.\n`
        : 'Enforcement revoked: 2FA is no longer enforced for all users (individually enforced users stay enforced).\n'
    )
    return 0
  })
}

export async function statusCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const flags = allowOnly(allFlags, 'status', ['json'])
  expectPositionals(rest, 0, 'no arguments after status')
  return withCore(dbPath, async (core) => {
    const overview = await call(core, 'getSecurityOverview', {})
    const d = overview.distribution
    if (flags.json) {
      await io.stdout(`${JSON.stringify({ total: d.total, active: d.active, pending: d.pending, inactive: d.inactive, enforcedForAll: overview.enforcedForAll })}\n`)
      return 0
    }
    const pct = (n: number) => (d.total === 0 ? '0%' : `${Math.round((n / d.total) * 100)}%`)
    await io.stdout(
      [
        `Users: ${d.total}`,
        `  ${`${STATUS_LABEL.active}:`.padEnd(35)}${d.active} (${pct(d.active)})`,
        `  ${`${STATUS_LABEL.pending}:`.padEnd(35)}${d.pending} (${pct(d.pending)})`,
        `  ${`${STATUS_LABEL.inactive}:`.padEnd(35)}${d.inactive} (${pct(d.inactive)})`,
        `${ENFORCEMENT_LABEL.forAll}: ${overview.enforcedForAll ? `on (since ${iso(overview.enforcedSince)}, by ${overview.enforcedBy})` : 'off'}`
      ].join('\n') + '\n'
    )
    return 0
  })
}
