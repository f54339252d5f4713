// twofa-admin audit: one page of the log (newest first, with filters), or
// --verify: a walk of the whole chain, streaming, in constant memory.
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../shared/domain'
import { MAX_PAGE_SIZE } from '../../shared/limits'
import { allowOnly, expectPositionals, optionalWholeNumber, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso, printJsonArray } from '../output'
import { call, withCore } from '../run-core'
import { visibleText } from '../../shared/text'

export const AUDIT_USAGE = `  audit [--limit N] [--before ID] [--user EMAIL] [--action A] [--json]
                                         one page of the audit log, newest first (default 50)
  audit --verify [--json]                check the whole audit chain`

const DEFAULT_LIMIT = 50

function parseAction(value: string | boolean | undefined): AuditAction | undefined {
  if (value === undefined) return undefined
  if (!(AUDIT_ACTIONS as readonly unknown[]).includes(value)) {
    throw new UsageError(`--action must be one of ${AUDIT_ACTIONS.join(', ')}; not "${String(value)}".`)
  }
  return value as AuditAction
}

/** One line per entry, whatever the entry holds: hidden characters are written out (src/shared/text.ts). */
function entryLine(e: AuditEntry): string {
  const details = Object.keys(e.details).length > 0 ? `  ${visibleText(JSON.stringify(e.details))}` : ''
  return `${e.id}  ${iso(e.at)}  ${visibleText(e.actor)}  ${e.action}${e.target ? `  ${visibleText(e.target)}` : ''}${details}\n`
}

export async function auditCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  expectPositionals(rest, 0, 'no arguments after audit')
  if (allFlags.verify) {
    const flags = allowOnly(allFlags, 'audit --verify', ['verify', 'json'])
    return withCore(dbPath, async (core) => {
      const walk = core.local.verifyWholeAuditLog()
      if (flags.json) {
        await io.stdout(
          `${JSON.stringify(walk.valid ? { valid: true, entries: walk.entries } : { valid: false, entries: walk.entries, brokenAt: walk.brokenAt, reason: walk.reason })}\n`
        )
      } else if (walk.valid) await io.stdout(`Audit chain verified: ${walk.entries} entries, no edits or deletions found.\n`)
      else await io.stdout(`Audit chain BROKEN at entry ${walk.brokenAt}: ${walk.reason}\n`)
      return walk.valid ? 0 : 1
    })
  }
  const flags = allowOnly(allFlags, 'audit', ['json', 'limit', 'before', 'user', 'action'])
  const limit = optionalWholeNumber(flags, 'limit', 1, MAX_PAGE_SIZE) ?? DEFAULT_LIMIT
  const before = optionalWholeNumber(flags, 'before', 1, Number.MAX_SAFE_INTEGER)
  const action = parseAction(flags.action)
  const user = typeof flags.user === 'string' ? flags.user : undefined
  return withCore(dbPath, async (core) => {
    const page = await call(core, 'listAudit', { limit, before, action, user })
    if (flags.json) {
      await printJsonArray(io, page.entries)
      return 0
    }
    if (page.entries.length === 0) await io.stdout('No audit entries.\n')
    for (const entry of page.entries) await io.stdout(entryLine(entry))
    if (page.nextCursor !== null) {
      // The same filters, one page further back.
      const next = [`--before ${page.nextCursor}`, limit === DEFAULT_LIMIT ? '' : `--limit ${limit}`, user ? `--user ${user}` : '', action ? `--action ${action}` : '']
      await io.stdout(`Older entries: twofa-admin audit ${next.filter(Boolean).join(' ')}\n`)
    }
    return 0
  })
}
