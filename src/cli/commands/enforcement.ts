// twofa-admin enforce-all | revoke-all | status: the global policy and the 2FA distribution.
import { ENFORCEMENT_LABEL, STATUS_LABEL } from '../../shared/labels'
import { allowOnly, expectPositionals, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso } from '../output'
import { call, withCore } from '../run-core'
import { statusHistoryCommand } from './history'
import { parseGraceDays } from './users'

export const ENFORCEMENT_USAGE = `  enforce-all [--grace-days N]           ${ENFORCEMENT_LABEL.forAll} (users have N days to activate; default: at next login;
                                         again with a new N: moves the deadline for everyone)
  revoke-all                             ${ENFORCEMENT_LABEL.revoke}
  status [--json]                        2FA distribution among users`

export async function policyCommand(command: 'enforce-all' | 'revoke-all', rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const flags = allowOnly(allFlags, command, command === 'enforce-all' ? ['grace-days'] : [])
  expectPositionals(rest, 0, `no arguments after ${command}`)
  const graceDays = parseGraceDays(flags)
  return withCore(dbPath, async (core) => {
    const overview =
      command === 'enforce-all'
        ? await call(core, 'enforceForAllUsers', graceDays === undefined ? {} : { graceDays })
        : await call(core, 'revokeEnforcement', {})
    const d = overview.distribution
    const due = overview.deadline !== null && d.overdue < d.pending ? `; activation due by ${iso(overview.deadline)}` : ''
    await io.stdout(
      command === 'enforce-all'
        ? `2FA is now enforced for all users: ${d.pending} must activate it (${d.overdue} at their next login${due}).\n`
        : 'Enforcement revoked: 2FA is no longer enforced for all users (individually and group-enforced users stay enforced).\n'
    )
    return 0
  })
}

export async function statusCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  if (allFlags.history) return statusHistoryCommand(rest, allFlags, dbPath, io)
  if (allFlags.days !== undefined) throw new UsageError('--days goes with --history: twofa-admin status --history --days N.')
  const flags = allowOnly(allFlags, 'status', ['json'])
  expectPositionals(rest, 0, 'no arguments after status')
  return withCore(dbPath, async (core) => {
    const overview = await call(core, 'getSecurityOverview', {})
    const d = overview.distribution
    if (flags.json) {
      await io.stdout(
        `${JSON.stringify({ total: d.total, active: d.active, pending: d.pending, inactive: d.inactive, overdue: d.overdue, enforcedForAll: overview.enforcedForAll, deadline: overview.deadline === null ? null : new Date(overview.deadline).toISOString(), exemptionGroup: overview.exemptionGroup?.name ?? null })}\n`
      )
      return 0
    }
    const pct = (n: number) => (d.total === 0 ? '0%' : `${Math.round((n / d.total) * 100)}%`)
    await io.stdout(
      [
        `Users: ${d.total}`,
        `  ${`${STATUS_LABEL.active}:`.padEnd(35)}${d.active} (${pct(d.active)})`,
        `  ${`${STATUS_LABEL.pending}:`.padEnd(35)}${d.pending} (${pct(d.pending)}; overdue: ${d.overdue})`,
        `  ${`${STATUS_LABEL.inactive}:`.padEnd(35)}${d.inactive} (${pct(d.inactive)})`,
        `${ENFORCEMENT_LABEL.forAll}: ${overview.enforcedForAll ? `on (since ${iso(overview.enforcedSince)}, by ${overview.enforcedBy}; activation due by ${iso(overview.deadline)})` : 'off'}`,
        ...(overview.exemptionGroup === null ? [] : [`Exemption group: ${overview.exemptionGroup.name}`])
      ].join('\n') + '\n'
    )
    return 0
  })
}
