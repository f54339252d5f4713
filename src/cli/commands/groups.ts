// twofa-admin group ...: local groups, their members, and 2FA enforcement by group.
import type { GroupMembersResult } from '../../shared/contract'
import type { GroupSummary } from '../../shared/domain'
import { visibleText } from '../../shared/text'
import { allowOnly, expectPositionals, HELP_HINT, parseEmail, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso, printTable } from '../output'
import { call, withCore } from '../run-core'
import { parseGraceDays } from './users'

export const GROUP_USAGE = `  group add NAME                         create a local group
  group list [--json]                    groups with members, enforcement and 2FA status
  group members add|remove NAME EMAIL... [--dry-run]
                                         change members (--dry-run: only say what would change)
  group enforce NAME [--grace-days N]    enforce 2FA for the members (N days to activate; again with a new N: moves the deadline)
  group revoke NAME                      revoke the group's enforcement
  group exempt-from-policy NAME|--none   leave the members out of "Enforce 2FA for all users" (--none: no exemption group)
  group delete NAME                      delete a group (members stay users)`

function groupJson(group: GroupSummary): Record<string, unknown> {
  return {
    name: group.name,
    source: group.source,
    members: group.members,
    enforced: group.enforced,
    deadline: group.deadline === null ? null : new Date(group.deadline).toISOString(),
    exemptFromPolicy: group.exemptFromPolicy,
    active: group.distribution.active,
    pending: group.distribution.pending,
    overdue: group.distribution.overdue,
    inactive: group.distribution.inactive
  }
}

function effectLine(result: GroupMembersResult, add: boolean, dryRun: boolean): string {
  const verb = dryRun ? (add ? 'would add' : 'would remove') : add ? 'added' : 'removed'
  const parts = [`${result.group.name}: ${verb} ${result.changed} (${result.unchanged} ${add ? 'already members' : 'not members'})`]
  const effect = result.effect
  if (effect.willHaveToActivate > 0) parts.push(`${effect.willHaveToActivate} ${dryRun ? 'would have' : 'now have'} to activate 2FA, ${effect.overdueAtOnce} of them at their next login`)
  if (effect.wouldNoLongerHaveTo > 0) parts.push(`${effect.wouldNoLongerHaveTo} no longer ${dryRun ? 'would have' : 'have'} to activate 2FA`)
  return `${parts.join('; ')}.\n`
}

export async function groupCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  switch (sub) {
    case 'add': {
      allowOnly(allFlags, 'group add', [])
      const [name] = expectPositionals(positionals, 1, 'one name: group add NAME')
      return withCore(dbPath, async (core) => {
        const group = await call(core, 'createGroup', { name: name ?? '' })
        await io.stdout(`Created group ${visibleText(group.name)}.\n`)
        return 0
      })
    }
    case 'list': {
      const flags = allowOnly(allFlags, 'group list', ['json'])
      expectPositionals(positionals, 0, 'no arguments after group list')
      return withCore(dbPath, async (core) => {
        const groups = await call(core, 'listGroups', {})
        if (flags.json) {
          await io.stdout(`${JSON.stringify(groups.map(groupJson))}\n`)
          return 0
        }
        async function* rows(): AsyncGenerator<string[]> {
          for (const group of groups) {
            const enforcement = group.enforced ? `enforced, due by ${iso(group.deadline)}` : group.exemptFromPolicy ? 'exempt from policy' : '-'
            yield [visibleText(group.name), String(group.members), enforcement, String(group.distribution.active), String(group.distribution.pending), String(group.distribution.overdue)]
          }
        }
        await printTable(io, ['GROUP', 'MEMBERS', 'ENFORCEMENT', 'ACTIVE', 'PENDING', 'OVERDUE'], rows(), 'No groups.')
        return 0
      })
    }
    case 'members': {
      const [action, name, ...emailTexts] = positionals
      if (action !== 'add' && action !== 'remove') throw new UsageError(`group members add|remove NAME EMAIL... ${HELP_HINT}`)
      const flags = allowOnly(allFlags, `group members ${action}`, ['dry-run'])
      if (name === undefined || emailTexts.length === 0) throw new UsageError(`group members ${action} needs a group name and at least one email.`)
      const emails = emailTexts.map(parseEmail)
      const dryRun = flags['dry-run'] === true
      return withCore(dbPath, async (core) => {
        const groupId = core.local.findGroupIdByName(name)
        const result = await call(core, action === 'add' ? 'addGroupMembers' : 'removeGroupMembers', { groupId, emails, dryRun })
        await io.stdout(effectLine(result, action === 'add', dryRun))
        return 0
      })
    }
    case 'enforce':
    case 'revoke':
    case 'delete': {
      const flags = allowOnly(allFlags, `group ${sub}`, sub === 'enforce' ? ['grace-days'] : [])
      const [name] = expectPositionals(positionals, 1, `one name: group ${sub} NAME`)
      const graceDays = parseGraceDays(flags)
      return withCore(dbPath, async (core) => {
        const groupId = core.local.findGroupIdByName(name ?? '')
        if (sub === 'delete') {
          const fromDirectory = (await call(core, 'getGroup', { groupId })).source === 'ldap'
          await call(core, 'deleteGroup', { groupId })
          const back = fromDirectory ? ' It comes from the directory: the next sync makes it again while it is among the groups to bring in (twofa-admin ldap show).' : ''
          await io.stdout(`Deleted group ${visibleText(name ?? '')}; its members stay users.${back}\n`)
          return 0
        }
        const group =
          sub === 'enforce'
            ? await call(core, 'enforceGroup', { groupId, ...(graceDays === undefined ? {} : { graceDays }) })
            : await call(core, 'revokeGroupEnforcement', { groupId })
        const d = group.distribution
        await io.stdout(
          sub === 'enforce'
            ? `2FA is now enforced for ${visibleText(group.name)}: ${d.pending} of ${group.members} must activate it (${d.overdue} at their next login; due by ${iso(group.deadline)}).\n`
            : `Enforcement revoked for ${visibleText(group.name)}: ${d.pending} members still have to activate 2FA (enforced individually or by another group or the policy).\n`
        )
        return 0
      })
    }
    case 'exempt-from-policy': {
      const flags = allowOnly(allFlags, 'group exempt-from-policy', ['none'])
      const none = flags.none === true
      const [name] = expectPositionals(positionals, none ? 0 : 1, none ? 'no name with --none' : 'one name: group exempt-from-policy NAME')
      return withCore(dbPath, async (core) => {
        const groupId = none ? null : core.local.findGroupIdByName(name ?? '')
        const overview = await call(core, 'setPolicyExemptionGroup', { groupId })
        await io.stdout(
          overview.exemptionGroup === null
            ? 'No exemption group: "Enforce 2FA for all users" covers everyone.\n'
            : `Members of ${visibleText(overview.exemptionGroup.name)} are left out of "Enforce 2FA for all users" (enforcement by another group or individually still applies).\n`
        )
        return 0
      })
    }
    default:
      throw new UsageError(sub === undefined ? `Missing group subcommand. ${HELP_HINT}` : `Unknown command "group ${sub}". ${HELP_HINT}`)
  }
}
