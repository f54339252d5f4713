// The filters part of `npm run bench` (issue 13): the Users filters beside the
// 2FA status (narrow ones read their partial index, broad ones filter the name
// index and are counted as the rest less the narrow set), the sorts by the
// optional columns' times, and jumps in those lists (which step from the start),
// on the cached demo directory, next to the plainest better-sqlite3 program for
// the same answer: the same statements (page and count) run bare, prepared once.
import BetterSqlite3 from 'better-sqlite3'
import type { ListUsersInput } from '../../src/shared/contract'
import { CLI_CALLER } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { readEnforcementPolicy } from '../../src/main/core/enforcement/policy'
import { armSource, countInFilter } from '../../src/main/core/listing/class-selection'
import { readArms } from '../../src/main/core/listing/keyset'
import { openCore } from '../../src/main/core/open-core'
import { fewInClasses } from '../../src/main/core/listing/time-sort'
import { seekUsersStatement } from '../../src/main/db/listing-repo'
import { seekUsersByTimeStatement } from '../../src/main/db/time-order-repo'
import { call, measure, printRow, type Row } from './common'

export interface FiltersOptions {
  sizes: number[]
  runs: number
}

const PAGE = 50

interface Case {
  operation: string
  input: ListUsersInput
  /** A jump to this share of the list (it steps from the start: a few runs only). */
  jumpTo?: number
}

const CASES: Case[] = [
  { operation: 'locked, first page by name', input: { locked: true } },
  { operation: 'disabled, first page by name', input: { disabled: true } },
  { operation: 'enforced individually, first page by name', input: { enforcementSource: 'individual' } },
  { operation: 'administrators (role), first page by name', input: { role: 'admin' } },
  { operation: 'few recovery codes left, first page by name', input: { fewRecoveryCodes: true } },
  { operation: 'disabled, first page by email', input: { disabled: true, sort: 'email' } },
  { operation: 'not locked (broad), first page by name', input: { locked: false } },
  { operation: 'users (role), not disabled (two broad), first page', input: { role: 'user', disabled: false } },
  { operation: 'pending and not locked, first page', input: { status: 'pending', locked: false } },
  { operation: 'sort by last 2FA login, newest first', input: { sort: 'lastTwoFactorLogin', direction: 'desc' } },
  { operation: 'sort by active since, oldest first', input: { sort: 'activeSince' } },
  { operation: 'sort by locked until', input: { sort: 'lockedUntil' } },
  { operation: 'sort by last 2FA login, pending only', input: { sort: 'lastTwoFactorLogin', status: 'pending' } },
  { operation: 'not locked: jump to 10% (steps from the start)', input: { locked: false }, jumpTo: 0.1 },
  { operation: 'sort by last 2FA login: jump to 10% (steps)', input: { sort: 'lastTwoFactorLogin' }, jumpTo: 0.1 }
]

export async function benchFilters(options: FiltersOptions, rows: Row[], seededPath: (users: number) => Promise<string>): Promise<void> {
  for (const users of options.sizes) {
    const path = await seededPath(users)
    const core = openCore({ dbPath: path, keyProvider: fileKeyProvider(path) })
    const bare = new BetterSqlite3(path, { readonly: true })
    const policy = readEnforcementPolicy(bare)
    for (const item of CASES) {
      const now = Date.now()
      const input: ListUsersInput = { ...item.input, limit: PAGE }
      if (item.jumpTo !== undefined) {
        const total = (await call(core, CLI_CALLER, 'listUsers', { ...input, limit: 1 })).total
        input.position = Math.floor(total * item.jumpTo)
      }
      const jump = item.jumpTo !== undefined
      const ours = await measure(jump ? 3 : options.runs, () => call(core, CLI_CALLER, 'listUsers', input), jump ? 1 : 3)
      const sort = input.sort ?? 'name'
      const direction = input.direction ?? 'asc'
      const request = { ...input, sort, direction, policy, now, limit: PAGE + 1 }
      const source = armSource(bare, policy, request)
      // The floor: the statements of the first page, prepared once, and the count, without the dispatcher, the rule or the mapping.
      const statements =
        sort === 'lastTwoFactorLogin' || sort === 'activeSince' || sort === 'enforcedSince' || sort === 'lockedUntil'
          ? [true, false].map((present) => seekUsersByTimeStatement({ order: sort, direction, present, filter: source.filter, limit: PAGE + 1, now, gather: fewInClasses(source) }))
          : readArms(sort, source, PAGE + 1).map((arm) => seekUsersStatement({ ...arm.query, rows: source.filter.rows, direction, limit: PAGE + 1 }))
      const prepared = statements.map((statement) => ({ run: bare.prepare(statement.sql), params: statement.params }))
      const floor =
        !jump
          ? await measure(options.runs, () => {
              for (const statement of prepared) statement.run.all(statement.params)
              countInFilter(bare, source, now)
            })
          : undefined
      const row: Row = {
        group: 'Filters and sorts',
        operation: item.operation,
        size: users,
        ours,
        ...(floor === undefined ? {} : { floor }),
        note: !jump ? `floor: the page's ${prepared.length} statement(s) and the count, bare` : 'no floor: a list with row tests or a time order steps to a position in pages of 1,000'
      }
      rows.push(row)
      printRow(row)
    }
    bare.close()
    core.close()
  }
}

export function reportFilters(rows: Row[], measured: string[]): string {
  const ratio = (row: Row) => (row.floor ? `${(row.ours.p50 / row.floor.p50).toFixed(2)}\u00d7` : '\u2014')
  const size = (users: number) => (users >= 1_000_000 ? `${users / 1_000_000}M` : `${users / 1000}k`)
  return [
    ...measured,
    '',
    '| Users | Operation | ours p50 / p95 (ms) | floor p50 (ms) | ours / floor | note |',
    '|---:|---|---:|---:|---:|---|',
    ...rows.map((row) => `| ${size(row.size)} | ${row.operation} | ${row.ours.p50.toFixed(3)} / ${row.ours.p95.toFixed(3)} | ${row.floor ? row.floor.p50.toFixed(3) : '\u2014'} | ${ratio(row)} | ${row.note ?? ''} |`)
  ].join('\n')
}
