// twofa-admin export users|audit: the 2FA report and the audit log out of the
// directory, for a manager, an auditor or a spreadsheet. Both stream page by
// page in constant memory, to standard output or to a file that appears only
// once complete (output.ts, openSink).
import { csvLine } from '../../shared/csv'
import type { EnforcementSource, UserRow } from '../../shared/domain'
import type { AuditRecord } from '../../main/core/audit/local'
import { allowOnly, expectPositionals, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso, openSink, printJsonArray, type Sink } from '../output'
import { withCore } from '../run-core'
import type { Core } from '../../main/core/open-core'
import { parseStatus } from './users'

export const EXPORT_USAGE = `  export users [--format csv|json] [--status active|pending|inactive] [--out FILE]
                                         one row per user: 2FA status, enforcement, activity
  export audit [--format csv|jsonl] [--since ISO-TIME] [--out FILE]
                                         every entry with its chain link, oldest first
                                         (jsonl keeps each field exactly as chained)`

/** The columns of the users export, in order; the JSON form uses the same names. */
export const USER_EXPORT_COLUMNS = ['email', 'name', 'role', 'status', 'enforcement', 'enforced_by', 'active_since', 'last_2fa_login', 'locked', 'disabled', 'source'] as const
type UserExport = Record<(typeof USER_EXPORT_COLUMNS)[number], string | boolean | null>

/** Why a user is enforced: the role (administrators always are), their own setting, the policy for all, an exemption, or nothing. */
const ENFORCED_BY: Record<EnforcementSource, string> = { role: 'admin', individual: 'individual', policy: 'policy', exempt: 'exempt', none: 'none' }

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms))

export function userExport(user: UserRow): UserExport {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    enforcement: user.enforcement,
    enforced_by: ENFORCED_BY[user.enforcementSource],
    active_since: isoOrNull(user.activeSince),
    last_2fa_login: isoOrNull(user.lastTwoFactorLoginAt),
    locked: user.locked,
    disabled: user.disabled,
    // Every user is created here today; directory import and sync will add other sources.
    source: 'local'
  }
}

export const AUDIT_EXPORT_COLUMNS = ['id', 'time', 'at', 'actor', 'action', 'target', 'details', 'prev_hash', 'hash'] as const

/** One entry as exported: `at` and `details` exactly as chained (epoch ms, the JSON text), `time` for people. */
function auditExport(entry: AuditRecord): Record<(typeof AUDIT_EXPORT_COLUMNS)[number], string | number | null> {
  return { id: entry.id, time: iso(entry.at), at: entry.at, actor: entry.actor, action: entry.action, target: entry.target, details: entry.details, prev_hash: entry.prevHash, hash: entry.hash }
}

function format(flags: Flags, allowed: readonly string[], command: string): string {
  const value = flags.format ?? allowed[0]
  if (typeof value !== 'string' || !allowed.includes(value)) throw new UsageError(`${command} --format must be ${allowed.join(' or ')}, not "${String(value)}".`)
  return value
}

/** A point in time: a date (midnight UTC) or a date and time with its zone, e.g. 2026-12-01 or 2026-12-01T09:30:00Z. */
export function parseSince(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined
  const text = typeof value === 'string' ? value : ''
  const valid = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)
  const ms = valid ? Date.parse(text) : NaN
  if (Number.isNaN(ms)) throw new UsageError(`--since takes a date or a date and time with its zone (2026-12-01 or 2026-12-01T09:30:00Z), not "${text}".`)
  return ms
}

/** Opens the core and the sink, writes, and puts the file in place (or removes it, on any failure). */
function exportWith(dbPath: string, io: CliIo, out: string | boolean | undefined, write: (core: Core, sink: Sink) => Promise<void>): Promise<number> {
  return withCore(dbPath, async (core) => {
    const sink = await openSink(io, typeof out === 'string' ? out : undefined)
    try {
      await write(core, sink)
      await sink.finish()
    } catch (error) {
      await sink.abandon()
      throw error
    }
    return 0
  })
}

export async function exportCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [what, ...positionals] = rest
  if (what === 'users') {
    const flags = allowOnly(allFlags, 'export users', ['format', 'status', 'out'])
    expectPositionals(positionals, 0, 'no arguments after export users')
    const kind = format(flags, ['csv', 'json'], 'export users')
    const status = parseStatus(flags.status)
    return exportWith(dbPath, io, flags.out, async (core, sink) => {
      const users = core.local.streamUsers({ status, sort: 'email' })
      if (kind === 'json') return printJsonArray(sink, users, userExport)
      await sink.write(csvLine(USER_EXPORT_COLUMNS))
      for await (const user of users) await sink.write(csvLine(Object.values(userExport(user))))
    })
  }
  if (what === 'audit') {
    const flags = allowOnly(allFlags, 'export audit', ['format', 'since', 'out'])
    expectPositionals(positionals, 0, 'no arguments after export audit')
    const kind = format(flags, ['csv', 'jsonl'], 'export audit')
    const since = parseSince(flags.since)
    return exportWith(dbPath, io, flags.out, async (core, sink) => {
      if (kind === 'csv') await sink.write(csvLine(AUDIT_EXPORT_COLUMNS))
      for await (const entry of core.local.streamAuditEntries({ since })) {
        const row = auditExport(entry)
        await sink.write(kind === 'csv' ? csvLine(Object.values(row)) : `${JSON.stringify(row)}\n`)
      }
    })
  }
  throw new UsageError(what === undefined ? 'export what? twofa-admin export users, or twofa-admin export audit.' : `Unknown export "${what}": users or audit.`)
}
