// twofa-admin: the command line over the same core as the desktop app. It acts
// as a local administrator (whoever can write the database file already holds
// the directory, as with an identity server's admin CLI); every change is
// audited with actor "cli".
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { ApiInput, ApiMethod, ApiOutput } from '../shared/contract'
import type { AuditEntry, TwoFactorStatus, UserRow } from '../shared/domain'
import { AppError } from '../shared/errors'
import { emailSchema } from '../shared/schemas'
import { CLI_CALLER } from '../main/core/caller'
import { fileKeyProvider } from '../main/core/keys'
import { openCore, type Core } from '../main/core/open-core'
import { defaultDatabasePath } from '../main/core/paths'
import { verifyAuditChain } from '../main/core/audit'
import { toApiError } from '../main/core/dispatch'
import { MAINTENANCE_COMMANDS, MAINTENANCE_USAGE, maintenanceCommand } from './maintenance'
import { parseSeedDemoArgs, seedDemo } from './seed-demo'
import { UsageError } from './usage'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads all of standard input; null when it is a terminal (nothing piped). */
  readStdin: () => Promise<string | null>
  env: NodeJS.ProcessEnv
}

const USAGE = `Usage: twofa-admin [--db FILE] <command> [options]

Commands:
  init                                   create the database (and its key file)
  user add --name NAME --email EMAIL [--role admin|user] --password-stdin
  user list [--status active|pending|inactive] [--json]
  user show EMAIL [--json]
  user enforce EMAIL                     enforce 2FA activation for one user
  user exempt EMAIL                      exclude one user from enforcement
  user inherit EMAIL                     follow the global policy again
  user reset-2fa EMAIL                   lost phone: remove the user's 2FA
  user unlock EMAIL                      clear a lock after failed attempts
  enforce-all                            Enforce 2FA for all users
  revoke-all                             Revoke enforcement
  status [--json]                        2FA distribution among users
  audit [--json] [--verify]              the audit log, newest first
  seed-demo --users N [--seed S] [--force]
                                         fill the directory with N generated demo users
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


const STATUS_LABEL: Record<TwoFactorStatus, string> = {
  active: '2FA active',
  pending: '2FA enforced, activation pending',
  inactive: '2FA not active'
}

type Flags = Record<string, string | boolean | undefined>

const OPTIONS: NonNullable<ParseArgsConfig['options']> = {
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
  verify: { type: 'boolean' },
  full: { type: 'boolean' },
  'passphrase-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
}

function parseAll(argv: string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true })
    return { flags: values as Flags, positionals }
  } catch (error) {
    // node:util's messages name the flag; keep them on one line.
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'Invalid arguments.')
  }
}

/** Refuses flags the command does not take, so a typo never goes unnoticed. */
function allowOnly(flags: Flags, command: string, allowed: string[]): Flags {
  for (const key of Object.keys(flags)) {
    if (key !== 'db' && flags[key] !== undefined && !allowed.includes(key)) {
      throw new UsageError(`"${command}" does not take --${key}. Run twofa-admin --help for usage.`)
    }
  }
  return flags
}

function expectPositionals(positionals: string[], count: number, what: string): string[] {
  if (positionals.length !== count) throw new UsageError(`Expected ${what}. Run twofa-admin --help for usage.`)
  return positionals
}

function parseEmail(text: string): string {
  const parsed = emailSchema.safeParse(text)
  if (!parsed.success) throw new UsageError(`"${text}" is not a valid email address.`)
  return parsed.data
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io)
  } catch (error) {
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
    io.stdout(`${USAGE}\n`)
    return argv.length === 0 ? 2 : 0
  }
  // --db may come before or after the command.
  const { flags: globalFlags, positionals: all } = parseAll(argv)
  if (globalFlags.help) {
    io.stdout(`${USAGE}\n`)
    return 0
  }
  const dbPath = typeof globalFlags.db === 'string' && globalFlags.db.length > 0 ? globalFlags.db : defaultDatabasePath(io.env)
  const [command, ...rest] = all

  switch (command) {
    case 'init': {
      allowOnly(globalFlags, 'init', [])
      expectPositionals(rest, 0, 'no arguments after init')
      const existed = existsSync(dbPath)
      mkdirSync(dirname(dbPath), { recursive: true })
      const keyProvider = fileKeyProvider(dbPath)
      const core = openCore({ dbPath, keyProvider })
      try {
        core.service.ensureDataKey()
      } finally {
        core.close()
      }
      io.stdout(existed ? `Database ${dbPath} is ready (secrets ${keyProvider.description}).\n` : `Created ${dbPath} with its secrets ${keyProvider.description}.\n`)
      return 0
    }
    case 'user':
      return userCommand(rest, globalFlags, dbPath, io)
    case 'enforce-all':
    case 'revoke-all': {
      allowOnly(globalFlags, command, [])
      expectPositionals(rest, 0, `no arguments after ${command}`)
      return withCore(dbPath, async (core) => {
        const overview = await call(core, command === 'enforce-all' ? 'enforceForAllUsers' : 'revokeEnforcement', {})
        io.stdout(
          command === 'enforce-all'
            ? `2FA is now enforced for all users: ${overview.distribution.pending} must activate it at their next login.\n`
            : 'Enforcement revoked: 2FA is no longer enforced for all users (individually enforced users stay enforced).\n'
        )
        return 0
      })
    }
    case 'status': {
      const flags = allowOnly(globalFlags, 'status', ['json'])
      expectPositionals(rest, 0, 'no arguments after status')
      return withCore(dbPath, async (core) => {
        const overview = await call(core, 'getSecurityOverview', {})
        const d = overview.distribution
        if (flags.json) {
          io.stdout(`${JSON.stringify({ total: d.total, active: d.active, pending: d.pending, inactive: d.inactive, enforcedForAll: overview.enforcedForAll })}\n`)
        } else {
          const pct = (n: number) => (d.total === 0 ? '0%' : `${Math.round((n / d.total) * 100)}%`)
          io.stdout(
            [
              `Users: ${d.total}`,
              `  2FA active:                        ${d.active} (${pct(d.active)})`,
              `  2FA enforced, activation pending:  ${d.pending} (${pct(d.pending)})`,
              `  2FA not active:                    ${d.inactive} (${pct(d.inactive)})`,
              `Enforce 2FA for all users: ${overview.enforcedForAll ? `on (since ${iso(overview.enforcedSince)}, by ${overview.enforcedBy})` : 'off'}`
            ].join('\n') + '\n'
          )
        }
        return 0
      })
    }
    case 'audit': {
      const flags = allowOnly(globalFlags, 'audit', ['json', 'verify'])
      expectPositionals(rest, 0, 'no arguments after audit')
      return withCore(dbPath, async (core) => {
        if (flags.verify) {
          const chain = verifyAuditChain(core.db)
          if (flags.json) io.stdout(`${JSON.stringify(chain)}\n`)
          else if (chain.valid) io.stdout(`Audit chain verified: ${chain.entries} entries, no edits or deletions found.\n`)
          else io.stdout(`Audit chain BROKEN at entry ${chain.brokenAt}: ${chain.reason}\n`)
          return chain.valid ? 0 : 1
        }
        const entries: AuditEntry[] = []
        let before: number | undefined
        do {
          const page = await call(core, 'listAudit', { limit: 500, ...(before ? { before } : {}) })
          entries.push(...page.entries)
          before = page.nextCursor ?? undefined
        } while (before !== undefined)
        if (flags.json) io.stdout(`${JSON.stringify(entries)}\n`)
        else for (const e of entries) io.stdout(`${iso(e.at)}  ${e.actor}  ${e.action}${e.target ? `  ${e.target}` : ''}${Object.keys(e.details).length > 0 ? `  ${JSON.stringify(e.details)}` : ''}\n`)
        return 0
      })
    }
    case 'seed-demo': {
      const flags = allowOnly(globalFlags, 'seed-demo', ['users', 'seed', 'force'])
      expectPositionals(rest, 0, 'options only: seed-demo --users N [--seed S] [--force]')
      return seedDemo(dbPath, parseSeedDemoArgs(flags), io.stdout)
    }
    default:
      if (command !== undefined && MAINTENANCE_COMMANDS.includes(command)) return maintenanceCommand(command, rest, globalFlags, dbPath, io)
      throw new UsageError(command === undefined ? 'Missing command. Run twofa-admin --help for usage.' : `Unknown command "${command}". Run twofa-admin --help for usage.`)
  }
}

async function userCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  switch (sub) {
    case 'add': {
      const flags = allowOnly(allFlags, 'user add', ['name', 'email', 'role', 'password-stdin'])
      expectPositionals(positionals, 0, 'options only: user add --name NAME --email EMAIL [--role admin|user] --password-stdin')
      if (typeof flags.name !== 'string') throw new UsageError('user add needs --name NAME.')
      if (typeof flags.email !== 'string') throw new UsageError('user add needs --email EMAIL.')
      const email = parseEmail(flags.email)
      const role = flags.role ?? 'user'
      if (role !== 'admin' && role !== 'user') throw new UsageError(`--role must be admin or user, not "${String(role)}".`)
      if (!flags['password-stdin']) throw new UsageError('user add needs --password-stdin, with the password piped on standard input.')
      const stdin = await io.readStdin()
      // One trailing newline is what `echo` adds; anything else is part of the password.
      const password = stdin === null ? '' : stdin.replace(/\r?\n$/, '')
      if (password.length === 0) throw new UsageError("Missing password on standard input: pipe it in, e.g. printf '%s' \"$PASSWORD\" | twofa-admin user add ... --password-stdin")
      return withCore(dbPath, async (core) => {
        const user = await call(core, 'createUser', { name: flags.name as string, email, role, password })
        io.stdout(`Added ${user.email} (${user.role}); 2FA status: ${STATUS_LABEL[user.status]}.\n`)
        return 0
      })
    }
    case 'list': {
      const flags = allowOnly(allFlags, 'user list', ['status', 'json'])
      expectPositionals(positionals, 0, 'no arguments after user list')
      const status = flags.status
      if (status !== undefined && status !== 'active' && status !== 'pending' && status !== 'inactive') {
        throw new UsageError(`--status must be active, pending or inactive, not "${String(status)}".`)
      }
      return withCore(dbPath, async (core) => {
        const users: UserRow[] = []
        let cursor: string | undefined
        do {
          const page = await call(core, 'listUsers', { limit: 500, sort: 'email', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
          users.push(...page.users)
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        if (flags.json) io.stdout(`${JSON.stringify(users.map(userJson))}\n`)
        else io.stdout(userTable(users))
        return 0
      })
    }
    case 'show': {
      const flags = allowOnly(allFlags, 'user show', ['json'])
      const [emailText] = expectPositionals(positionals, 1, 'one email: user show EMAIL')
      const email = parseEmail(emailText ?? '')
      return withCore(dbPath, async (core) => {
        const userId = await core.service.findUserIdByEmail(CLI_CALLER, email)
        const user = await call(core, 'getUser', { userId })
        if (flags.json) {
          io.stdout(`${JSON.stringify({ ...userJson(user), activeSince: user.activeSince, last2faLoginAt: user.last2faLoginAt, recoveryCodesRemaining: user.recoveryCodesRemaining, failedAttempts: user.failedAttempts, createdAt: user.createdAt })}\n`)
        } else {
          io.stdout(
            [
              `${user.name} <${user.email}>`,
              `  Role:         ${user.role}${user.disabled ? ' (disabled)' : ''}`,
              `  2FA:          ${STATUS_LABEL[user.status]}${user.activeSince ? ` since ${iso(user.activeSince)}` : ''}`,
              `  Enforcement:  ${user.enforcement} (${user.enforced ? 'enforced' : 'not enforced'}, ${user.enforcementSource})`,
              `  Locked:       ${user.locked ? `yes, until ${iso(user.lockedUntil)}` : 'no'}`,
              `  Recovery codes left: ${user.recoveryCodesRemaining}`
            ].join('\n') + '\n'
          )
        }
        return 0
      })
    }
    case 'enforce':
    case 'exempt':
    case 'inherit':
    case 'reset-2fa':
    case 'unlock': {
      allowOnly(allFlags, `user ${sub}`, [])
      const [emailText] = expectPositionals(positionals, 1, `one email: user ${sub} EMAIL`)
      const email = parseEmail(emailText ?? '')
      return withCore(dbPath, async (core) => {
        const userId = await core.service.findUserIdByEmail(CLI_CALLER, email)
        let user
        if (sub === 'reset-2fa') user = await call(core, 'resetTwoFactor', { userId })
        else if (sub === 'unlock') user = await call(core, 'unlockUser', { userId })
        else user = await call(core, 'setEnforcement', { userId, enforcement: sub === 'enforce' ? 'enforced' : sub })
        io.stdout(`${user.email}: ${STATUS_LABEL[user.status]}; enforcement ${user.enforcement}${user.locked ? '; locked' : ''}.\n`)
        return 0
      })
    }
    default:
      throw new UsageError(sub === undefined ? 'Missing user subcommand. Run twofa-admin --help for usage.' : `Unknown command "user ${sub}". Run twofa-admin --help for usage.`)
  }
}

async function withCore(dbPath: string, fn: (core: Core) => Promise<number>): Promise<number> {
  if (!existsSync(dbPath)) {
    throw new AppError('NOT_FOUND', `No database at ${dbPath}. Run "twofa-admin init --db ${dbPath}" first, or pass the right --db.`)
  }
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath) })
  try {
    return await fn(core)
  } finally {
    core.close()
  }
}

async function call<M extends ApiMethod>(core: Core, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await core.dispatch(method, CLI_CALLER, input)
  if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.field)
  return result.value
}

function userJson(user: UserRow): Record<string, unknown> {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    enforcement: user.enforcement,
    enforced: user.enforced,
    locked: user.locked,
    disabled: user.disabled
  }
}

function userTable(users: UserRow[]): string {
  if (users.length === 0) return 'No users.\n'
  const rows = [['EMAIL', 'NAME', 'ROLE', '2FA', 'ENFORCEMENT', 'LOCKED'], ...users.map((u) => [u.email, u.name, u.role, u.status, u.enforcement, u.locked ? 'yes' : 'no'])]
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)))
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n') + '\n'
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => {
      if (process.stdin.isTTY) return null
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    }
  }
}
