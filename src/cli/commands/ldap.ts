// twofa-admin ldap ...: the LDAP / Active Directory connection and its sync,
// for scripts and cron. The same contract as Account > Directory sync.
import type { DirectoryConnectionInput, DirectoryConnectionView, DirectorySyncResult } from '../../shared/contract'
import { allowOnly, expectPositionals, optionalWholeNumber, readSecretFromStdin, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso } from '../output'
import { call, withCore } from '../run-core'

export const LDAP_USAGE = `  ldap set --url ldap://HOST:PORT --base-dn DN --bind-dn DN --bind-password-stdin
           [--preset openldap|active-directory] [--user-filter FILTER] [--group-dn DN]
           [--email-attribute mail] [--name-attribute cn] [--login-attribute uid]
           [--start-tls] [--ca-file FILE] [--mass-disable-percent N] [--schedule-minutes N]
                                         the directory to sync users from (bind password stored encrypted)
  ldap show [--json]                     the connection (never its password) and the last sync
  ldap test                              bind and read the directory, changing nothing
  ldap sync [--dry-run] [--json] [--allow-mass-disable]
                                         bring the directory's users in; users no longer there are disabled`

const SET_FLAGS = [
  'url',
  'base-dn',
  'bind-dn',
  'bind-password-stdin',
  'preset',
  'user-filter',
  'group-dn',
  'email-attribute',
  'name-attribute',
  'login-attribute',
  'start-tls',
  'ca-file',
  'mass-disable-percent',
  'schedule-minutes'
]

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
        await io.stdout(`Directory connection saved: ${view.url}, base ${view.baseDn}.\n`)
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
          await io.stdout(`${JSON.stringify({ created, updated, disabled, reenabled, unchanged, errors, ...(result.massDisable ? { massDisable: result.massDisable } : {}) })}\n`)
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
    `Attributes: email ${view.emailAttribute}, name ${view.nameAttribute}, login ${view.loginAttribute}`,
    `Stops before disabling more than ${view.massDisablePercent}% of the synced users`,
    `Schedule: ${view.scheduleMinutes === null ? 'off (run "twofa-admin ldap sync" from cron)' : `every ${view.scheduleMinutes} minutes while the app is open`}`,
    `Last sync: ${view.lastSyncAt === null ? 'never' : `${iso(view.lastSyncAt)}${view.lastSync ? ` (${view.lastSync.created} created, ${view.lastSync.updated} updated, ${view.lastSync.disabled} disabled, ${view.lastSync.reenabled} re-enabled)` : ''}`}`,
    ...view.warnings.map((warning) => `Warning: ${warning}`)
  ]
  return `${lines.join('\n')}\n`
}

function describeSync(result: DirectorySyncResult): string {
  const counts = `${result.created} created, ${result.updated} updated, ${result.disabled} disabled, ${result.reenabled} re-enabled, ${result.unchanged} unchanged`
  const problems = result.errors.map((problem) => `  ${problem.dn}: ${problem.message}\n`).join('')
  if (result.massDisable !== null) {
    const { wouldDisable, synced, limitPercent } = result.massDisable
    return `Nothing was changed: this sync would disable ${wouldDisable} of ${synced} directory users, more than ${limitPercent}%. Check the directory and the filter (twofa-admin ldap sync --dry-run), then run again with --allow-mass-disable if it is right.\n${problems}`
  }
  const head = result.dryRun ? `Dry run of ${result.entries} directory entries: would be ${counts}. Nothing was changed.` : `Synced ${result.entries} directory entries: ${counts}.`
  return `${head}\n${result.errors.length > 0 ? `${result.errors.length} entries could not be used:\n${problems}` : ''}`
}
