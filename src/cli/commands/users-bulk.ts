// twofa-admin users enforce|exempt|inherit|unlock: one change for many users at
// once, chosen by 2FA status (the Users list's filter) or by a file of emails,
// through the same core as the Users table's selection (previewBulkChange,
// applyBulkChange): one transaction, one audit entry per changed user. An
// unknown email, or a bad line, changes nothing.
import { readFileSync, statSync } from 'node:fs'
import type { BulkAction, BulkCounts, BulkSelection } from '../../shared/contract'
import { MAX_BULK_USERS } from '../../shared/contract/bulk'
import { TWO_FACTOR_FILTERS, type TwoFactorFilter } from '../../shared/domain'
import { emailSchema } from '../../shared/schemas'
import { allowOnly, expectPositionals, HELP_HINT, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { call, withCore } from '../run-core'

export const USERS_BULK_USAGE = `  users enforce|exempt|inherit|unlock --status S | --emails-file FILE [--dry-run] [--json]
                                         one change for many users: enforce 2FA activation, exempt, follow
                                         the policy (inherit) or unlock; S: ${TWO_FACTOR_FILTERS.join(', ')}; FILE: one email
                                         a line (# comments, blank lines ignored); --dry-run: only say what would change`

const ACTIONS: Record<string, BulkAction> = { enforce: 'enforce', exempt: 'exempt', inherit: 'inherit', unlock: 'unlock' }
/** A file of emails: up to MAX_BULK_USERS lines of at most 256 characters, with room for comments. */
const MAX_FILE_BYTES = 64 * 1024 * 1024

/** The emails of a file: one a line; blank lines and # comments ignored; a bad line is a usage error naming it. */
export function parseEmailsFile(text: string, file: string): string[] {
  const emails: string[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (line.length === 0) return
    const parsed = emailSchema.safeParse(line)
    if (!parsed.success) throw new UsageError(`${file} line ${index + 1}: "${line.slice(0, 80)}" is not an email address. Nothing was changed.`)
    emails.push(parsed.data)
  })
  if (emails.length === 0) throw new UsageError(`${file} holds no email addresses. Nothing was changed.`)
  if (emails.length > MAX_BULK_USERS) throw new UsageError(`${file} holds ${emails.length} emails: at most ${MAX_BULK_USERS} at once. Split it.`)
  return emails
}

function readEmailsFile(file: string): string[] {
  let text: string
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new UsageError(`${file} is larger than 64 MiB: split it.`)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
  }
  return parseEmailsFile(text, file)
}

function selectionOf(flags: Flags, command: string): BulkSelection {
  const status = flags.status
  const file = flags['emails-file']
  if ((status === undefined) === (file === undefined)) throw new UsageError(`${command} needs either --status S or --emails-file FILE. ${HELP_HINT}`)
  if (typeof status === 'string') {
    if (!TWO_FACTOR_FILTERS.includes(status as TwoFactorFilter)) throw new UsageError(`--status takes ${TWO_FACTOR_FILTERS.join(', ')}, not "${status}".`)
    return { filter: { status: status as TwoFactorFilter } }
  }
  return { emails: readEmailsFile(String(file)) }
}

function countsJson(counts: BulkCounts, dryRun: boolean): Record<string, unknown> {
  const { summary, ...numbers } = counts
  return { dryRun, ...numbers, summary }
}

export async function usersBulkCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  const action = sub === undefined ? undefined : ACTIONS[sub]
  if (action === undefined) throw new UsageError(sub === undefined ? `Missing users subcommand: users enforce|exempt|inherit|unlock. ${HELP_HINT}` : `Unknown command "users ${sub}". ${HELP_HINT}`)
  const command = `users ${sub}`
  const flags = allowOnly(allFlags, command, ['status', 'emails-file', 'dry-run', 'json'])
  expectPositionals(positionals, 0, `no arguments after ${command} (choose the users with --status or --emails-file)`)
  const selection = selectionOf(flags, command)
  const dryRun = flags['dry-run'] === true
  return withCore(dbPath, async (core) => {
    const counts = dryRun ? await call(core, 'previewBulkChange', { selection, action }) : await call(core, 'applyBulkChange', { selection, action })
    if (flags.json) await io.stdout(`${JSON.stringify(countsJson(counts, dryRun))}\n`)
    else await io.stdout(`${dryRun ? 'Dry run: ' : ''}${counts.summary}${dryRun ? ' Nothing was changed.' : ''}\n`)
    return 0
  })
}
