// twofa-admin ldap ...: the LDAP / Active Directory connection and its sync,
// for scripts and cron. The same contract as Account > Directory sync.
import type { DirectoryConnectionInput, DirectoryConnectionView, DirectorySyncCounts, DirectorySyncResult } from '../../shared/contract'
import { visibleText } from '../../shared/text'
import { allowOnly, expectPositionals, optionalWholeNumber, readSecretFromStdin, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso } from '../output'
import { call, withCore } from '../run-core'

export const LDAP_USAGE = `  ldap set --url ldap://HOST:PORT --base-dn DN --bind-dn DN --bind-password-stdin
           [--preset openldap|active-directory] [--user-filter FILTER] [--group-dn DN]
           [--sync-group DN]...      (repeat for each group to bring in, at most 50)
           [--email-attribute mail] [--name-attribute cn] [--login-attribute uid]
           [--start-tls] [--ca-file FILE] [--mass-disable-percent N] [--schedule-minutes N]
                                         the directory to sync users from (bind password stored encrypted);
                                         saved again, it is replaced whole: options left out take their
                                         defaults (no groups, no filter); the bind password is kept
  ldap show [--json]                     the connection (never its password) and the last sync
  ldap test                              bind and read the directory, changing nothing
  ldap sync [--dry-run] [--json] [--allow-mass-disable]
                                         bring the directory's users in; users no longer there are disabled;
                                         the groups to bring in get their members from memberOf`

const SET_FLAGS = [
  'url',
  'base-dn',
  'bind-dn',
  'bind-password-stdin',
  'preset',
  'user-filter',
  'group-dn',
  'sync-group',
  'email-attribute',
  'name-attribute',
  'login-attribute',
  'start-tls',
  'ca-file',
  'mass-disable-percent',
  'schedule-minutes'
]

/** A repeatable flag's values (node:util gives an array for `multiple: true`). */
function texts(flags: Flags, name: string): string[] {
  const value: unknown = flags[name]
  if (value === undefined) return []
  const values: unknown[] = Array.isArray(value) ? value : [value]
  return values.map((one) => {
    if (typeof one !== 'string') throw new UsageError(`--${name} needs a value.`)
    return one
  })
}

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value.`)
  return value
}

export async function ldapCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  switch (sub) {
    case 'set': {
      const flags = allowOnly(allFlags, 'ldap set', SET_FLAGS)
      expectPositionals(positionals, 0, 'options only: ldap set --url ... --base-dn ... --bind-dn ... --bind-password-stdin')
      const url = text(flags, 'url')
      const baseDn = text(flags, 'base-dn')
      const bindDn = text(flags, 'bind-dn') ?? ''
      if (url === undefined) throw new UsageError('ldap set needs --url ldap://HOST:PORT (or ldaps://).')
      if (baseDn === undefined) throw new UsageError('ldap set needs --base-dn, like dc=example,dc=com.')
      const preset = text(flags, 'preset') ?? 'openldap'
      if (preset !== 'openldap' && preset !== 'active-directory') throw new UsageError(`--preset must be openldap or active-directory, not "${preset}".`)
      const input: DirectoryConnectionInput = {
        preset,
        url,
        baseDn,
        bindDn,
        userFilter: text(flags, 'user-filter') ?? null,
        groupDn: text(flags, 'group-dn') ?? null,
        syncGroupDns: texts(flags, 'sync-group'),
        startTls: flags['start-tls'] === true,
        caFile: text(flags, 'ca-file') ?? null,
        massDisablePercent: optionalWholeNumber(flags, 'mass-disable-percent', 0, 100),
        scheduleMinutes: optionalWholeNumber(flags, 'schedule-minutes', 5, 10080) ?? null
      }
      for (const [flag, key] of [
        ['email-attribute', 'emailAttribute'],
        ['name-attribute', 'nameAttribute'],
        ['login-attribute', 'loginAttribute']
      ] as const) {
        const value = text(flags, flag)
        if (value !== undefined) input[key] = value
      }
      // Without --bind-password-stdin the stored password is kept (when there is one).
      if (flags['bind-password-stdin']) input.bindPassword = await readSecretFromStdin(io, flags, 'bind-password-stdin', 'ldap set')
      return withCore(dbPath, async (core) => {
        const view = await call(core, 'setDirectoryConnection', input)
        const groups = view.syncGroupDns.length === 0 ? '' : `; ${view.syncGroupDns.length} ${view.syncGroupDns.length === 1 ? 'group' : 'groups'} to bring in`
        await io.stdout(`Directory connection saved: ${view.url}, base ${view.baseDn}${groups}.\n`)
        for (const warning of view.warnings) io.stderr(`Warning: ${warning}\n`)
        return 0
      })
    }
    case 'show': {
      const flags = allowOnly(allFlags, 'ldap show', ['json'])
      expectPositionals(positionals, 0, 'no arguments after ldap show')
      return withCore(dbPath, async (core) => {
        const view = await call(core, 'getDirectoryConnection', {})
        if (flags.json) await io.stdout(`${JSON.stringify(view)}\n`)
        else await io.stdout(view === null ? 'No directory connection is set up. Set one with "twofa-admin ldap set".\n' : describeConnection(view))
        return 0
      })
    }
    case 'test': {
      allowOnly(allFlags, 'ldap test', [])
      expectPositionals(positionals, 0, 'no arguments after ldap test')
      return withCore(dbPath, async (core) => {
        const tested = await call(core, 'testDirectoryConnection', {})
        await io.stdout(`The directory answered: ${tested.entries} ${tested.entries === 1 ? 'user' : 'users'} would be synced.\n`)
        for (const warning of tested.warnings) io.stderr(`Warning: ${warning}\n`)
        return 0
      })
    }
    case 'sync': {
      const flags = allowOnly(allFlags, 'ldap sync', ['dry-run', 'json', 'allow-mass-disable'])
      expectPositionals(positionals, 0, 'no arguments after ldap sync')
      return withCore(dbPath, async (core) => {
        const result = await call(core, 'syncDirectory', { dryRun: flags['dry-run'] === true, allowMassDisable: flags['allow-mass-disable'] === true })
        if (flags.json) {
          const { created, updated, disabled, reenabled, unchanged, errors } = result
          // The groups only when some are brought in: a script that brings none sees what it always saw.
          const groups = result.groups.length === 0 ? {} : { groups: result.groups }
          await io.stdout(`${JSON.stringify({ created, updated, disabled, reenabled, unchanged, errors, ...groups, ...(result.massDisable ? { massDisable: result.massDisable } : {}) })}\n`)
        } else {
          await io.stdout(describeSync(result))
        }
        // Refused to disable that many: nothing changed, and a script must notice.
        return result.massDisable === null ? 0 : 1
      })
    }
    default:
      throw new UsageError(sub === undefined ? 'ldap needs a command: set, show, test or sync.' : `Unknown command "ldap ${sub}". Use set, show, test or sync.`)
  }
}

function describeConnection(view: DirectoryConnectionView): string {
  const lines = [
    `Directory: ${view.url} (${view.preset === 'active-directory' ? 'Active Directory' : 'OpenLDAP'})${view.startTls ? ' with StartTLS' : ''}`,
    `Base DN: ${view.baseDn}`,
    `Bind DN: ${view.bindDn || '(anonymous)'}${view.hasBindPassword ? ', password stored encrypted' : ''}`,
    `Users: ${view.userFilter ?? 'the preset filter'}${view.groupDn ? `, members of ${view.groupDn}` : ''}`,
    ...(view.syncGroupDns.length === 0 ? ['Groups to bring in: none'] : ['Groups to bring in:', ...view.syncGroupDns.map((dn) => `  ${visibleText(dn)}`)]),
    `Attributes: email ${view.emailAttribute}, name ${view.nameAttribute}, login ${view.loginAttribute}`,
    `Stops before disabling more than ${view.massDisablePercent}% of the synced users`,
    `Schedule: ${view.scheduleMinutes === null ? 'off (run "twofa-admin ldap sync" from cron)' : `every ${view.scheduleMinutes} minutes while the app is open`}`,
    `Last sync: ${view.lastSyncAt === null ? 'never' : `${iso(view.lastSyncAt)}${view.lastSync ? ` (${view.lastSync.created} created, ${view.lastSync.updated} updated, ${view.lastSync.disabled} disabled, ${view.lastSync.reenabled} re-enabled${groupCounts(view.lastSync)})` : ''}`}`,
    ...view.warnings.map((warning) => `Warning: ${warning}`)
  ]
  return `${lines.join('\n')}\n`
}

/** ", 1 group created, 3 members added, 1 removed", or nothing when no group changed. */
function groupCounts(counts: DirectorySyncCounts): string {
  if (counts.groupsCreated + counts.membersAdded + counts.membersRemoved === 0) return ''
  const created = counts.groupsCreated > 0 ? `, ${counts.groupsCreated} ${counts.groupsCreated === 1 ? 'group' : 'groups'} created` : ''
  return `${created}, ${counts.membersAdded} group ${counts.membersAdded === 1 ? 'member' : 'members'} added, ${counts.membersRemoved} removed`
}

/** One line per group to bring in: what the sync did (or would do) to it. */
function describeGroups(result: DirectorySyncResult): string {
  if (result.groups.length === 0) return ''
  const would = result.applied ? '' : 'would be '
  const lines = result.groups.map((group) => {
    const name = group.name === null ? '(none)' : visibleText(group.name)
    if (group.notInDirectory) {
      const left = group.name === null ? 'no group made' : 'left as it is'
      return `  ${name} (${visibleText(group.dn)}): not in the directory (or the bind account cannot see it), ${left}; check the DN`
    }
    const made = group.created ? `${would}created, ` : ''
    return `  ${name} (${visibleText(group.dn)}): ${made}${group.added} ${would}added, ${group.removed} ${would}removed, ${group.members} ${group.members === 1 ? 'member' : 'members'}`
  })
  return `Groups:\n${lines.join('\n')}\n`
}

function describeSync(result: DirectorySyncResult): string {
  const counts = `${result.created} created, ${result.updated} updated, ${result.disabled} disabled, ${result.reenabled} re-enabled, ${result.unchanged} unchanged`
  const problems = result.errors.map((problem) => `  ${problem.dn}: ${problem.message}\n`).join('')
  if (result.massDisable !== null) {
    const { wouldDisable, synced, limitPercent } = result.massDisable
    return `Nothing was changed: this sync would disable ${wouldDisable} of ${synced} directory users, more than ${limitPercent}%. Check the directory and the filter (twofa-admin ldap sync --dry-run), then run again with --allow-mass-disable if it is right.\n${problems}`
  }
  const head = result.dryRun ? `Dry run of ${result.entries} directory entries: would be ${counts}. Nothing was changed.` : `Synced ${result.entries} directory entries: ${counts}.`
  return `${head}\n${describeGroups(result)}${result.errors.length > 0 ? `${result.errors.length} entries could not be used:\n${problems}` : ''}`
}
