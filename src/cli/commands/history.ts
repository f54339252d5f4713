// twofa-admin status --history: the 2FA distribution of each recorded day, the
// enforcement changes and the deadlines, as Account > Security's trend shows them.
import type { TwoFactorHistory } from '../../shared/contract'
import { HISTORY_DEFAULT_DAYS, HISTORY_MAX_DAYS } from '../../shared/contract/history'
import { STATUS_LABEL } from '../../shared/labels'
import { visibleText } from '../../shared/text'
import { allowOnly, expectPositionals, optionalWholeNumber, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso } from '../output'
import { call, withCore } from '../run-core'

export const HISTORY_USAGE = `  status --history [--days N] [--json]   2FA distribution of each day (default ${HISTORY_DEFAULT_DAYS}, at most ${HISTORY_MAX_DAYS} days),
                                         with the enforcement changes and deadlines`

const share = (count: number, total: number): string => `${count} (${total === 0 ? 0 : Math.round((count / total) * 100)}%)`

function historyLines(history: TwoFactorHistory): string[] {
  const lines = [`2FA over the last ${history.days} day${history.days === 1 ? '' : 's'} (${history.from} to ${history.to}, UTC):`]
  if (history.points.length === 0) lines.push('  No day recorded yet.')
  else {
    const header = ['Day', 'Users', STATUS_LABEL.active, 'Pending', 'Not active', 'Overdue']
    const rows = history.points.map((point) => [
      point.day,
      String(point.total),
      share(point.active, point.total),
      share(point.pending, point.total),
      share(point.inactive, point.total),
      point.overdue === null ? '-' : String(point.overdue)
    ])
    const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col]?.length ?? 0)))
    for (const row of [header, ...rows]) lines.push(`  ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ').trimEnd()}`)
  }
  lines.push(history.events.length === 0 ? 'Enforcement changes: none' : 'Enforcement changes:')
  for (const event of history.events) {
    lines.push(`  ${iso(event.at)}  ${event.action}${event.target === null ? '' : `  ${visibleText(event.target)}`}  by ${visibleText(event.actor)}`)
  }
  if (history.deadlines.length > 0) lines.push('Deadlines:')
  for (const deadline of history.deadlines) lines.push(`  ${iso(deadline.at)}  ${deadline.group === null ? 'all users' : `group ${visibleText(deadline.group)}`}`)
  return lines
}

export async function statusHistoryCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const flags = allowOnly(allFlags, 'status --history', ['history', 'days', 'json'])
  expectPositionals(rest, 0, 'no arguments after status --history')
  const days = optionalWholeNumber(flags, 'days', 1, HISTORY_MAX_DAYS)
  return withCore(dbPath, async (core) => {
    const history = await call(core, 'getTwoFactorHistory', days === undefined ? {} : { days })
    await io.stdout(flags.json ? `${JSON.stringify(history)}\n` : `${historyLines(history).join('\n')}\n`)
    return 0
  })
}
