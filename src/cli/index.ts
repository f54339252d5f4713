// twofa-admin: the command line over the same core as the desktop app. It acts
// as a local administrator (whoever can write the database file already holds
// the directory, as with an identity server's admin CLI); every change is
// audited with actor "cli". This file routes a command to its feature's file
// in commands/ and turns every failure into one line and an exit status.
import { AppError } from '../shared/errors'
import { toApiError } from '../main/core/dispatch'
import { defaultDatabasePath } from '../main/core/paths'
import { parseFlags, UsageError } from './args'
import { AUDIT_USAGE, auditCommand } from './commands/audit'
import { ENFORCEMENT_USAGE, policyCommand, statusCommand } from './commands/enforcement'
import { EXPORT_USAGE, exportCommand } from './commands/export'
import { GROUP_USAGE, groupCommand } from './commands/groups'
import { HISTORY_USAGE } from './commands/history'
import { IMPORT_USAGE, importCommand } from './commands/import'
import { initCommand } from './commands/init'
import { LDAP_USAGE, ldapCommand } from './commands/ldap'
import { RADIUS_USAGE, radiusCommand } from './commands/radius'
import { MAINTENANCE_COMMANDS, MAINTENANCE_USAGE, maintenanceCommand } from './commands/maintenance'
import { SEED_DEMO_USAGE, seedDemoCommand } from './commands/seed-demo'
import { TEMPORARY_PASS_USAGE, temporaryPassCommand } from './commands/temporary-pass'
import { USERS_USAGE, userCommand } from './commands/users'
import { USERS_BULK_USAGE, usersBulkCommand } from './commands/users-bulk'
import { OutputClosed, processIo, type CliIo } from './io'

export type { CliIo } from './io'

const USAGE = `Usage: twofa-admin [--db FILE] <command> [options]

Commands:
  init                                   create the database (and its key file)
${USERS_USAGE}
${USERS_BULK_USAGE}
${TEMPORARY_PASS_USAGE}
${ENFORCEMENT_USAGE}
${GROUP_USAGE}
${HISTORY_USAGE}
${AUDIT_USAGE}
${IMPORT_USAGE}
${LDAP_USAGE}
${RADIUS_USAGE}
${EXPORT_USAGE}
${SEED_DEMO_USAGE}
${MAINTENANCE_USAGE}

Options:
  --db FILE    the database (default: the desktop app's, or $TWOFA_ADMIN_DB)
  -h, --help   show this help

Demo users (seed-demo) are for demonstrations and benchmarks: realistic names
and emails under example domains, a few administrators, and a mix of 2FA active,
pending and not active users, individual enforcements and exemptions, locked
(for 24 hours) and disabled accounts. They have no password, so nobody can sign
in as one, and are marked as demo users in the database. The same --seed
(default 1) gives the same users. seed-demo creates the database when it is
missing, refuses a database that already holds demo users, and refuses one that
already has other users unless --force (then the demo users are added to them).`

/** Every flag of every command; each command then refuses the ones it does not take (allowOnly). */
const OPTIONS = {
  db: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  status: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  users: { type: 'string' },
  seed: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  history: { type: 'boolean' },
  days: { type: 'string' },
  verify: { type: 'boolean' },
  limit: { type: 'string' },
  before: { type: 'string' },
  user: { type: 'string' },
  action: { type: 'string' },
  full: { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
  since: { type: 'string' },
  'passphrase-stdin': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'ignore-unknown-columns': { type: 'boolean' },
  url: { type: 'string' },
  'base-dn': { type: 'string' },
  'bind-dn': { type: 'string' },
  'bind-password-stdin': { type: 'boolean' },
  preset: { type: 'string' },
  'user-filter': { type: 'string' },
  'group-dn': { type: 'string' },
  // Repeated: one DN each (ldap set).
  'sync-group': { type: 'string', multiple: true },
  'email-attribute': { type: 'string' },
  'name-attribute': { type: 'string' },
  'login-attribute': { type: 'string' },
  'start-tls': { type: 'boolean' },
  'ca-file': { type: 'string' },
  'mass-disable-percent': { type: 'string' },
  'schedule-minutes': { type: 'string' },
  'allow-mass-disable': { type: 'boolean' },
  address: { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  'require-2fa': { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  hours: { type: 'string' },
  once: { type: 'boolean' },
  multi: { type: 'boolean' },
  revoke: { type: 'boolean' },
  'grace-days': { type: 'string' },
  enforce: { type: 'boolean' },
  'generate-password': { type: 'boolean' },
  group: { type: 'string' },
  none: { type: 'boolean' },
  'emails-file': { type: 'string' },
  search: { type: 'string' },
  sort: { type: 'string' },
  desc: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io)
  } catch (error) {
    // The reader of the output went away (`| head -1`): nothing more to say.
    if (error instanceof OutputClosed) return 0
    if (error instanceof UsageError) {
      io.stderr(`twofa-admin: ${error.message}\n`)
      return 2
    }
    if (error instanceof AppError) {
      io.stderr(`twofa-admin: ${error.message}\n`)
      return 1
    }
    // A damaged, busy or full database gets the same one-line message as in the app, never a stack trace.
    const known = toApiError('cli', error)
    if (known.code !== 'INTERNAL') {
      io.stderr(`twofa-admin: ${known.message}\n`)
      return 1
    }
    io.stderr(`twofa-admin: unexpected error: ${(error as Error).message ?? String(error)}\n`)
    return 1
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    await io.stdout(`${USAGE}\n`)
    return argv.length === 0 ? 2 : 0
  }
  // --db may come before or after the command.
  const { flags, positionals } = parseFlags(argv, OPTIONS)
  if (flags.help) {
    await io.stdout(`${USAGE}\n`)
    return 0
  }
  const dbPath = typeof flags.db === 'string' && flags.db.length > 0 ? flags.db : defaultDatabasePath(io.env)
  const [command, ...rest] = positionals
  switch (command) {
    case 'init':
      return initCommand(rest, flags, dbPath, io)
    case 'user':
      if (rest[0] === 'temporary-pass') return temporaryPassCommand(rest.slice(1), flags, dbPath, io)
      return userCommand(rest, flags, dbPath, io)
    case 'users':
      return usersBulkCommand(rest, flags, dbPath, io)
    case 'enforce-all':
    case 'revoke-all':
      return policyCommand(command, rest, flags, dbPath, io)
    case 'status':
      return statusCommand(rest, flags, dbPath, io)
    case 'group':
      return groupCommand(rest, flags, dbPath, io)
    case 'audit':
      return auditCommand(rest, flags, dbPath, io)
    case 'import':
      return importCommand(rest, flags, dbPath, io)
    case 'ldap':
      return ldapCommand(rest, flags, dbPath, io)
    case 'radius':
      return radiusCommand(rest, flags, dbPath, io)
    case 'export':
      return exportCommand(rest, flags, dbPath, io)
    case 'seed-demo':
      return seedDemoCommand(rest, flags, dbPath, io)
    default:
      if (command !== undefined && MAINTENANCE_COMMANDS.includes(command)) return maintenanceCommand(command, rest, flags, dbPath, io)
      throw new UsageError(command === undefined ? 'Missing command. Run twofa-admin --help for usage.' : `Unknown command "${command}". Run twofa-admin --help for usage.`)
  }
}
