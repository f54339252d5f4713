// twofa-admin user ...: add, list, show, and the per-user enforcement and help actions.
import type { UserRow } from '../../shared/domain'
import { MAX_GRACE_DAYS, TWO_FACTOR_FILTERS, type TwoFactorFilter } from '../../shared/domain'
import { allowOnly, expectPositionals, HELP_HINT, optionalWholeNumber, parseEmail, readSecretFromStdin, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso, printJsonArray, printTable } from '../output'
import { call, withCore } from '../run-core'
import { ENFORCEMENT_SOURCE_LABEL, lockEndText, STATUS_LABEL } from '../../shared/labels'
import { visibleText } from '../../shared/text'
import { LISTING_FLAGS, listedUsers, parseListing, printListing } from './user-search'

export const USERS_USAGE = `  user add --name NAME --email EMAIL [--role admin|user] (--password-stdin | --generate-password) [--enforce]
                                         --generate-password prints a strong password once; --enforce: Enforce 2FA activation
  user list [--status active|pending|overdue|inactive] [--group NAME] [--json]
            [--search TEXT] [--role admin|user] [--sort KEY] [--desc]
                                         --search: users whose name or email contains TEXT (1-2 characters: starts with it),
                                         ignoring case; --sort name|email|role|status|lastTwoFactorLogin|activeSince|
                                         enforcedSince|lockedUntil (default email); --desc: the other way round
  user show EMAIL [--json]
  user enforce EMAIL [--grace-days N]    enforce 2FA activation for one user (N days to activate; default: at next login)
  user exempt EMAIL                      exclude one user from enforcement
  user inherit EMAIL                     follow the global policy again
  user reset-2fa EMAIL                   lost phone: remove the user's 2FA
  user unlock EMAIL                      clear a lock after failed attempts
  user set-password EMAIL (--password-stdin | --generate-password)
                                         give a user (an imported one has none yet) a password`

const USER_LIST_HEADER = ['EMAIL', 'NAME', 'ROLE', '2FA', 'ENFORCEMENT', 'LOCKED'] as const

const SOURCE_LABEL: Record<UserRow['source'], string> = { local: 'added here', csv: 'imported from CSV', ldap: 'the directory' }

function userJson(user: UserRow): Record<string, unknown> {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    enforcement: user.enforcement,
    enforced: user.enforced,
    deadline: user.deadline === null ? null : new Date(user.deadline).toISOString(),
    overdue: user.overdue,
    groups: user.groups,
    locked: user.locked,
    disabled: user.disabled
  }
}

export function parseStatus(value: string | boolean | undefined): TwoFactorFilter | undefined {
  if (value === undefined) return undefined
  if (!(TWO_FACTOR_FILTERS as readonly unknown[]).includes(value)) {
    throw new UsageError(`--status must be active, pending, overdue or inactive, not "${String(value)}".`)
  }
  return value as TwoFactorFilter
}

/** --grace-days N: whole days from 0 (activation at the next login) to a year. */
export function parseGraceDays(flags: Flags): number | undefined {
  return optionalWholeNumber(flags, 'grace-days', 0, MAX_GRACE_DAYS)
}

/** When activation is due, for people: "due by DATE", "overdue since DATE", or at the next login. */
export function deadlineText(deadline: number | null, overdue: boolean): string {
  if (deadline === null) return overdue ? 'activation required at next login' : ''
  return overdue ? `overdue since ${iso(deadline)}` : `activation due by ${iso(deadline)}`
}

/** --password-stdin (the password piped in) or --generate-password (the core makes one): exactly one. */
async function passwordChoice(io: CliIo, flags: Flags, command: string): Promise<{ password: string } | { generatePassword: true }> {
  if (flags['generate-password'] === true) {
    if (flags['password-stdin'] === true) throw new UsageError(`${command} takes --password-stdin or --generate-password, not both.`)
    return { generatePassword: true }
  }
  if (flags['password-stdin'] !== true) throw new UsageError(`${command} needs --password-stdin (the password piped on standard input) or --generate-password.`)
  return { password: await readSecretFromStdin(io, flags, 'password-stdin', command) }
}

/** A generated password goes to standard output once, on a line of its own; it is never stored in the clear. */
async function printGeneratedPassword(io: CliIo, password: string | undefined): Promise<void> {
  if (password === undefined) return
  await io.stdout(`Generated password (shown once; give it to the user in person):\n${password}\n`)
}

export async function userCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  switch (sub) {
    case 'add': {
      const flags = allowOnly(allFlags, 'user add', ['name', 'email', 'role', 'password-stdin', 'generate-password', 'enforce'])
      expectPositionals(positionals, 0, 'options only: user add --name NAME --email EMAIL [--role admin|user] (--password-stdin | --generate-password) [--enforce]')
      if (typeof flags.name !== 'string') throw new UsageError('user add needs --name NAME.')
      if (typeof flags.email !== 'string') throw new UsageError('user add needs --email EMAIL.')
      const name = flags.name
      const email = parseEmail(flags.email)
      const role = flags.role ?? 'user'
      if (role !== 'admin' && role !== 'user') throw new UsageError(`--role must be admin or user, not "${String(role)}".`)
      const password = await passwordChoice(io, flags, 'user add')
      const enforce = flags.enforce === true
      return withCore(dbPath, async (core) => {
        const user = await call(core, 'createUser', { name, email, role, ...password, ...(enforce ? { enforce } : {}) })
        await io.stdout(`Added ${user.email} (${user.role}); 2FA status: ${STATUS_LABEL[user.status]}.\n`)
        await printGeneratedPassword(io, user.generatedPassword)
        return 0
      })
    }
    case 'set-password': {
      const flags = allowOnly(allFlags, 'user set-password', ['password-stdin', 'generate-password'])
      const [emailText] = expectPositionals(positionals, 1, 'one email: user set-password EMAIL (--password-stdin | --generate-password)')
      const email = parseEmail(emailText ?? '')
      const password = await passwordChoice(io, flags, 'user set-password')
      return withCore(dbPath, async (core) => {
        const user = await call(core, 'setUserPassword', { userId: core.local.findUserIdByEmail(email), ...password })
        await io.stdout(`${user.email} has a new password; their open sessions were ended.\n`)
        await printGeneratedPassword(io, user.generatedPassword)
        return 0
      })
    }
    case 'list': {
      const flags = allowOnly(allFlags, 'user list', ['status', 'group', 'json', ...LISTING_FLAGS])
      expectPositionals(positionals, 0, 'no arguments after user list')
      const status = parseStatus(flags.status)
      const listing = parseListing(flags)
      return withCore(dbPath, async (core) => {
        const groupId = typeof flags.group === 'string' ? core.local.findGroupIdByName(flags.group) : undefined
        if (listing !== undefined) {
          // The Users screen's engine (listUsers), every page to the last: user-search.ts.
          const listed = listedUsers(core, { ...listing, status, groupId })
          await printListing(io, listed, listing.query, flags.json === true, { header: USER_LIST_HEADER, toJson: userJson, toRows: tableRows })
          return 0
        }
        // Streamed page by page: the same memory for ten users as for ten million.
        const users = core.local.streamUsers({ status, groupId, sort: 'email' })
        if (flags.json) await printJsonArray(io, users, userJson)
        else await printTable(io, USER_LIST_HEADER, tableRows(users), 'No users.')
        return 0
      })
    }
    case 'show': {
      const flags = allowOnly(allFlags, 'user show', ['json'])
      const [emailText] = expectPositionals(positionals, 1, 'one email: user show EMAIL')
      const email = parseEmail(emailText ?? '')
      return withCore(dbPath, async (core) => {
        const user = await call(core, 'getUser', { userId: core.local.findUserIdByEmail(email) })
        if (flags.json) {
          await io.stdout(
            `${JSON.stringify({ ...userJson(user), enforcementSource: user.enforcementSource, activeSince: user.activeSince, lastTwoFactorLoginAt: user.lastTwoFactorLoginAt, recoveryCodesRemaining: user.recoveryCodesRemaining, failedAttempts: user.failedAttempts, createdAt: user.createdAt, source: user.source, hasPassword: user.hasPassword, directoryDn: user.directoryDn })}\n`
          )
        } else {
          await io.stdout(
            [
              `${visibleText(user.name)} <${visibleText(user.email)}>`,
              `  Role:         ${user.role}${user.disabled ? ' (disabled)' : ''}`,
              `  2FA:          ${STATUS_LABEL[user.status]}${user.activeSince ? ` since ${iso(user.activeSince)}` : ''}`,
              `  Enforcement:  ${user.enforcement} (${ENFORCEMENT_SOURCE_LABEL[user.enforcementSource]})${user.status === 'pending' ? `; ${deadlineText(user.deadline, user.overdue)}` : ''}`,
              `  Groups:       ${user.groups.length === 0 ? 'none' : user.groups.map(visibleText).join(', ')}`,
              `  Locked:       ${user.lockedUntil === null ? 'no' : `yes, ${lockEndText(user.lockedUntil, iso)}`}`,
              `  Recovery codes left: ${user.recoveryCodesRemaining}`,
              `  Source:       ${SOURCE_LABEL[user.source]}${user.directoryDn ? ` (${visibleText(user.directoryDn)})` : ''}`,
              `  Password:     ${user.source === 'ldap' ? "the directory's" : user.hasPassword ? 'set' : 'none yet (twofa-admin user set-password)'}`
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
      const flags = allowOnly(allFlags, `user ${sub}`, sub === 'enforce' ? ['grace-days'] : [])
      const graceDays = parseGraceDays(flags)
      const [emailText] = expectPositionals(positionals, 1, `one email: user ${sub} EMAIL`)
      const email = parseEmail(emailText ?? '')
      return withCore(dbPath, async (core) => {
        const userId = core.local.findUserIdByEmail(email)
        let user
        if (sub === 'reset-2fa') user = await call(core, 'resetTwoFactor', { userId })
        else if (sub === 'unlock') user = await call(core, 'unlockUser', { userId })
        else user = await call(core, 'setEnforcement', { userId, enforcement: sub === 'enforce' ? 'enforced' : sub, ...(graceDays === undefined ? {} : { graceDays }) })
        const due = user.status === 'pending' ? `; ${deadlineText(user.deadline, user.overdue)}` : ''
        await io.stdout(`${user.email}: ${STATUS_LABEL[user.status]}; enforcement ${user.enforcement}${due}${user.locked ? '; locked' : ''}.\n`)
        return 0
      })
    }
    default:
      throw new UsageError(sub === undefined ? `Missing user subcommand. ${HELP_HINT}` : `Unknown command "user ${sub}". ${HELP_HINT}`)
  }
}

async function* tableRows(users: AsyncIterable<UserRow>): AsyncGenerator<string[]> {
  for await (const u of users) yield [visibleText(u.email), visibleText(u.name), u.role, u.status, u.enforcement, u.locked ? 'yes' : 'no']
}
