// twofa-admin export users|audit: the 2FA report and the audit log out of the
// directory, for a manager, an auditor or a spreadsheet. Both stream page by
// page in constant memory, to standard output or to a file that appears only
// once complete (output.ts, openSink). The columns, the formats and the file
// are the core's (src/main/core/export), as the screens' exports write them.
import { AUDIT_EXPORT_FORMATS, USER_EXPORT_FORMATS } from '../../shared/contract/export'
import { AUDIT_EXPORT_COLUMNS, auditExportRecord, USER_EXPORT_COLUMNS, userExportRecord, type AuditExportRecord, type UserExportRecord } from '../../main/core/export/columns'
import { exportEncoding, type ExportEncoding } from '../../main/core/export/encoding'
import { allowOnly, expectPositionals, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { openSink, type Sink } from '../output'
import { withCore } from '../run-core'
import type { Core } from '../../main/core/open-core'
import { parseStatus } from './users'

export const EXPORT_USAGE = `  export users [--format csv|json] [--status active|pending|inactive] [--out FILE]
                                         one row per user: 2FA status, enforcement, activity
  export audit [--format csv|jsonl] [--since ISO-TIME] [--out FILE]
                                         every entry with its chain link, oldest first
                                         (jsonl keeps each field exactly as chained)`

/** Writes the rows in the encoding (the core's, as the screens' exports write them), with backpressure. */
async function writeEncoded<T, R extends Record<string, string | number | boolean | null>>(
  sink: Sink,
  encoding: ExportEncoding<R>,
  rows: AsyncIterable<T>,
  toRecord: (row: T) => R
): Promise<void> {
  await sink.write(encoding.header)
  let index = 0
  for await (const row of rows) await sink.write(encoding.line(toRecord(row), index++))
  await sink.write(encoding.footer)
}

function format<F extends string>(flags: Flags, allowed: readonly F[], command: string): F {
  const value = flags.format ?? allowed[0]
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new UsageError(`${command} --format must be ${allowed.join(' or ')}, not "${String(value)}".`)
  return value as F
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
    const kind = format(flags, USER_EXPORT_FORMATS, 'export users')
    const status = parseStatus(flags.status)
    return exportWith(dbPath, io, flags.out, (core, sink) =>
      writeEncoded(sink, exportEncoding<UserExportRecord>(kind, USER_EXPORT_COLUMNS), core.local.streamUsers({ status, sort: 'email' }), userExportRecord)
    )
  }
  if (what === 'audit') {
    const flags = allowOnly(allFlags, 'export audit', ['format', 'since', 'out'])
    expectPositionals(positionals, 0, 'no arguments after export audit')
    const kind = format(flags, AUDIT_EXPORT_FORMATS, 'export audit')
    const since = parseSince(flags.since)
    return exportWith(dbPath, io, flags.out, (core, sink) =>
      writeEncoded(sink, exportEncoding<AuditExportRecord>(kind, AUDIT_EXPORT_COLUMNS), core.local.streamAuditEntries({ since }), auditExportRecord)
    )
  }
  throw new UsageError(what === undefined ? 'export what? twofa-admin export users, or twofa-admin export audit.' : `Unknown export "${what}": users or audit.`)
}
