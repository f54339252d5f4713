// Export from the Users and Audit log screens (issue 10, part 3), through the
// dispatcher as every transport calls it, with the background worker the
// desktop app and the preview run: the file says what listUsers says for every
// field, honours the filter and the search, holds no secret, appears only once
// complete and recorded in the audit log, and only administrators may make one.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportJob } from '../../../src/shared/contract'
import type { UserRow } from '../../../src/shared/domain'
import { USER_EXPORT_COLUMNS } from '../../../src/main/core/export/columns'
import { auditForExportStatement, usersForExportStatement } from '../../../src/main/db/export-repo'
import { ALL_CLASSES } from '../../../src/main/db/listing-repo'
import { chainKeyOf, entryMac, GENESIS_HASH } from '../../../src/main/core/audit/chain'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { base32Encode } from '../../../src/main/core/crypto/totp'
import { folderDestination, waitForExport, type FolderDestination } from '../helpers/exports'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let out: string
let destination: FolderDestination
let admin: Screen
/** The authenticator secrets and recovery codes handed out in this test: none may be in an export. */
let secrets: string[]

beforeEach(async () => {
  out = mkdtempSync(join(tmpdir(), 'twofa-export-out-'))
  destination = folderDestination(() => out)
  env = new TestEnv({ exportDestination: destination.choose })
  const first = await setUpAdmin(env)
  admin = first.screen
  secrets = [base32Encode(first.secret), first.secret.toString('hex'), ...first.recoveryCodes]
})
afterEach(() => {
  env.dispose()
  rmSync(out, { recursive: true, force: true })
})

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'))
const ENFORCED_BY = { role: 'admin', individual: 'individual', group: 'group', policy: 'policy', exempt: 'exempt', none: 'none' } as const

/** What the export must say of a user, written out from the contract's row (not with the exporter's own mapping). */
function expected(user: UserRow): Record<string, unknown> {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    enforcement: user.enforcement,
    enforced_by: ENFORCED_BY[user.enforcementSource],
    active_since: iso(user.activeSince),
    last_2fa_login: iso(user.lastTwoFactorLoginAt),
    locked: user.locked,
    disabled: user.disabled,
    source: user.source,
    deadline: iso(user.deadline),
    groups: user.groups.join('; ')
  }
}

async function listed(screen: Screen, filter: { status?: string; query?: string } = {}): Promise<UserRow[]> {
  return (await screen.ok('listUsers', { ...filter, sort: 'email', limit: 500 })).users
}

/** Starts an export, waits for it like the screens, and returns every state seen and the file's text. */
async function exported(method: 'exportUsers' | 'exportAudit', input: Record<string, unknown>, screen: Screen = admin): Promise<{ jobs: ExportJob[]; text: string }> {
  const jobs = await waitForExport(screen, await screen.ok(method, input))
  const last = jobs[jobs.length - 1] as ExportJob
  expect(last.state, last.error ?? '').toBe('done')
  return { jobs, text: readFileSync(last.file as string, 'utf8') }
}

/** A small directory with every kind of row: enforced, exempt, disabled, locked, 2FA active, imported, and names a spreadsheet would run. */
async function smallDirectory(): Promise<void> {
  const maria = await addUser(env, 'maria@example.com')
  const tom = await addUser(env, 'tom@example.com')
  const jonas = await addUser(env, '-jonas@example.com')
  await addUser(env, 'priya@example.com', 'admin')
  const kwame = await addUser(env, 'kwame@example.com')
  const chen = await addUser(env, 'chen@example.com')
  await env.cli('updateUser', { userId: maria, name: '=HYPERLINK("http://evil.example","Click")' })
  await env.cli('updateUser', { userId: chen, name: '@Sum(A1), "quoted"' })
  await env.cli('setEnforcement', { userId: tom, enforcement: 'enforced' })
  await env.cli('setEnforcement', { userId: jonas, enforcement: 'exempt' })
  await env.cli('updateUser', { userId: kwame, disabled: true })
  // Maria activates 2FA herself, from her own screen.
  const own = env.screen()
  await own.ok('login', { email: 'maria@example.com', password: PASSWORD })
  const enrolled = await enroll(env, own)
  secrets.push(base32Encode(enrolled.secret), enrolled.secret.toString('hex'), ...enrolled.recoveryCodes)
  // As ten wrong passwords and a CSV import leave them.
  env.db.prepare('UPDATE users SET locked_until = ?, failed_attempts = 10 WHERE id = ?').run(env.clock.now() + 600_000, chen)
  env.db.prepare("UPDATE users SET source = 'csv' WHERE id = ?").run(tom)
}

describe('exportUsers', () => {
  it('says for every user, field by field, what listUsers says, in JSON and in CSV', async () => {
    await smallDirectory()
    const users = await listed(admin)
    expect(users).toHaveLength(7)
    const json = JSON.parse((await exported('exportUsers', { format: 'json' })).text) as Record<string, unknown>[]
    expect(json).toEqual(users.map(expected))
    // Every kind of row is there, and the source is each user's own.
    expect(new Set(json.map((row) => row.status))).toEqual(new Set(['active', 'pending', 'inactive']))
    expect(json.find((row) => row.email === 'tom@example.com')?.source).toBe('csv')
    expect(json.find((row) => row.email === 'chen@example.com')?.locked).toBe(true)

    const { text } = await exported('exportUsers', { format: 'csv' })
    const rows = parse(text, { columns: true }) as Record<string, string>[]
    expect(Object.keys(rows[0] ?? {})).toEqual([...USER_EXPORT_COLUMNS])
    // The same as text, with what a spreadsheet would run neutralised by a leading apostrophe.
    const asText = (value: unknown): string => (value === null ? '' : typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value))
    expect(rows).toEqual(json.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, asText(value)]))))
    expect(rows.find((row) => row.email === "'-jonas@example.com")).toBeDefined()
  })

  it('honours the 2FA status filter and the search, and exports every match of a search of many matches', async () => {
    await smallDirectory()
    for (const filter of [{ status: 'pending' }, { status: 'inactive' }, { query: 'ma' }, { query: 'example' }, { status: 'pending', query: 'o' }, { query: 'nobody' }]) {
      const json = JSON.parse((await exported('exportUsers', { format: 'json', ...filter })).text) as { email: string }[]
      expect(json.map((row) => row.email), JSON.stringify(filter)).toEqual((await listed(admin, filter)).map((user) => user.email))
    }
    env.core.local.seedDemo({ users: 1_500, seed: 3, force: true })
    const page = await admin.ok('listUsers', { query: 'example', limit: 10 })
    // Many matches: the page leaves the count to countUsers, and the export has every one.
    expect(page).toMatchObject({ countPending: true })
    expect(await admin.ok('countUsers', { query: 'example' })).toEqual({ total: 1_507 })
    const { jobs, text } = await exported('exportUsers', { format: 'csv', query: 'example' })
    expect(text.split('\r\n')).toHaveLength(1_500 + 7 + 2)
    expect(jobs[jobs.length - 1]).toMatchObject({ done: 1_507, total: 1_507 })
  })

  it('honours the filters beside the status (issue 13) exactly as the list does, with the search too', async () => {
    await smallDirectory()
    const filters: Record<string, unknown>[] = [
      { disabled: true },
      { disabled: false },
      { locked: true },
      { locked: false, status: 'pending' },
      { role: 'admin' },
      { enforcementSource: 'individual' },
      { enforcementSource: 'exempt' },
      { source: 'csv' },
      { source: 'local', disabled: false },
      { fewRecoveryCodes: true },
      { query: 'o', locked: false }
    ]
    let nonEmpty = 0
    for (const filter of filters) {
      const json = JSON.parse((await exported('exportUsers', { format: 'json', ...filter })).text) as { email: string }[]
      const want = (await admin.ok('listUsers', { ...filter, sort: 'email', limit: 500 })).users.map((user) => user.email)
      expect(json.map((row) => row.email), JSON.stringify(filter)).toEqual(want)
      if (want.length > 0) nonEmpty++
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(9)
  })

  it('holds no secret: no password hash, no TOTP secret, no recovery code', async () => {
    await smallDirectory()
    const stored = [
      ...(env.db.prepare('SELECT password_hash FROM users WHERE password_hash IS NOT NULL').pluck().all() as string[]),
      ...(env.db.prepare('SELECT secret_enc FROM totp_credentials').pluck().all() as Buffer[]).map((sealed) => sealed.toString('base64')),
      ...(env.db.prepare('SELECT code_hash FROM recovery_codes').pluck().all() as string[])
    ]
    expect(stored.length).toBeGreaterThan(8)
    expect(secrets.length).toBeGreaterThan(8)
    for (const format of ['csv', 'json']) {
      const { text } = await exported('exportUsers', { format })
      for (const secret of [...stored, ...secrets]) expect(text).not.toContain(secret)
      expect(text).not.toMatch(/scrypt|password|secret/i)
    }
  })

  it('records who exported what and how many rows; the file is owner-only and nothing temporary is left', async () => {
    await smallDirectory()
    const { jobs } = await exported('exportUsers', { format: 'csv', status: 'pending', query: ' to ' })
    const file = jobs[jobs.length - 1]?.file as string
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(out)).toEqual(['2FA Admin users pending 2026-11-27.csv'])
    const [entry] = (await admin.ok('listAudit', { action: 'users.exported' })).entries
    expect(entry).toMatchObject({ actor: 'admin@example.com', action: 'users.exported', details: { format: 'csv', status: 'pending', query: 'to', rows: 1, file } })
    expect(destination.asked[0]).toMatchObject({ kind: 'users', format: 'csv', suggestedName: '2FA Admin users pending 2026-11-27.csv' })
  })

  it('changes nothing when the save dialog is cancelled', async () => {
    const before = (await admin.ok('getAuditChainStatus')).entries
    destination.next = { cancel: true }
    expect(await admin.ok('exportUsers', { format: 'csv' })).toEqual({ exportId: null, kind: 'users', state: 'cancelled', done: 0, total: 0, file: null, download: null, error: null })
    expect(readdirSync(out)).toEqual([])
    expect((await admin.ok('getAuditChainStatus')).entries).toBe(before)
    // And the next export may start at once.
    destination.next = {}
    await exported('exportUsers', { format: 'csv' })
  })

  it('fails clearly and leaves nothing when the file cannot be written, and records nothing', async () => {
    destination.next = { name: join('no-such-folder', 'users.csv') }
    const jobs = await waitForExport(admin, await admin.ok('exportUsers', { format: 'csv' }))
    expect(jobs[jobs.length - 1]).toMatchObject({ state: 'failed', error: expect.stringMatching(/^Cannot write in .*no-such-folder.*Choose another place/) })
    expect(readdirSync(out)).toEqual([])
    expect((await admin.ok('listAudit', { action: 'users.exported' })).entries).toEqual([])
  })

  it('never leaves a file that looks whole: an existing file is kept until the export is complete, and replaced only when the person agreed', async () => {
    writeFileSync(join(out, 'users.csv'), 'keep me')
    destination.next = { name: 'users.csv' }
    const jobs = await waitForExport(admin, await admin.ok('exportUsers', { format: 'csv' }))
    expect(jobs[jobs.length - 1]).toMatchObject({ state: 'failed', error: expect.stringMatching(/appeared while the export ran: nothing was replaced/) })
    expect(readFileSync(join(out, 'users.csv'), 'utf8')).toBe('keep me')
    destination.next = { name: 'users.csv', overwrite: true }
    await exported('exportUsers', { format: 'csv' })
    expect(readFileSync(join(out, 'users.csv'), 'utf8')).toMatch(/^email,name,/)
    expect(readdirSync(out)).toEqual(['users.csv'])
  })

  it('keeps the screens answering while a large export runs in the worker, and reports its progress', async () => {
    env.core.local.seedDemo({ users: 30_000, seed: 1, force: true })
    const started = await admin.ok('exportUsers', { format: 'csv' })
    // The event loop of the thread that answers the screens stays free: a page of users comes back meanwhile.
    const asked = Date.now()
    await admin.ok('listUsers', { limit: 50 })
    expect(Date.now() - asked).toBeLessThan(500)
    const jobs = await waitForExport(admin, started, 60_000)
    expect(jobs.some((job) => job.state === 'running' && job.total === 30_001 && job.done > 0 && job.done < 30_001)).toBe(true)
    expect(jobs[jobs.length - 1]).toMatchObject({ state: 'done', done: 30_001, total: 30_001 })
    expect(readFileSync(jobs[jobs.length - 1]?.file as string, 'utf8').split('\r\n')).toHaveLength(30_001 + 2)
  }, 60_000)

  it('runs one export at a time per session', async () => {
    env.core.local.seedDemo({ users: 5_000, seed: 1, force: true })
    const first = await admin.ok('exportUsers', { format: 'csv' })
    expect(await admin.fail('exportAudit', { format: 'csv' })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/already under way/) })
    await waitForExport(admin, first)
    await exported('exportAudit', { format: 'csv' })
  })
})

describe('who may export', () => {
  it('only a signed-in administrator with 2FA; nobody sees another session’s export', async () => {
    await addUser(env, 'maria@example.com')
    await addUser(env, 'priya@example.com', 'admin')
    const user = env.screen()
    await user.ok('login', { email: 'maria@example.com', password: PASSWORD })
    const adminWithout2fa = env.screen()
    await adminWithout2fa.ok('login', { email: 'priya@example.com', password: PASSWORD })
    const signedOut = env.screen()
    for (const method of ['exportUsers', 'exportAudit'] as const) {
      expect((await user.fail(method, { format: 'csv' })).code).toBe('FORBIDDEN')
      expect((await adminWithout2fa.fail(method, { format: 'csv' })).code).toBe('ENROLLMENT_REQUIRED')
      expect((await signedOut.fail(method, { format: 'csv' })).code).toBe('UNAUTHENTICATED')
    }
    expect(destination.asked).toEqual([])
    const { jobs } = await exported('exportUsers', { format: 'csv' })
    const exportId = jobs[0]?.exportId as string
    expect((await user.fail('getExport', { exportId })).code).toBe('FORBIDDEN')
    // Another administrator, on a screen of their own.
    const secondWindow = env.screen()
    await secondWindow.ok('login', { email: 'priya@example.com', password: PASSWORD })
    await enroll(env, secondWindow)
    expect((await secondWindow.fail('getExport', { exportId })).code).toBe('NOT_FOUND')
  })

  it('refuses an export whose save dialog stayed open past the session', async () => {
    destination.next = { beforeAnswer: () => env.clock.advance(16 * 60 * 1000) }
    expect((await admin.fail('exportUsers', { format: 'csv' })).code).toBe('SESSION_EXPIRED')
    expect(readdirSync(out)).toEqual([])
  })

  it('tells the command line where exports go when the screens cannot save one', async () => {
    const bare = new TestEnv()
    try {
      const screen = (await setUpAdmin(bare)).screen
      expect(await screen.fail('exportUsers', { format: 'csv' })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/twofa-admin export/) })
    } finally {
      bare.dispose()
    }
  })
})

describe('exportAudit', () => {
  it('copies the filtered entries oldest first, each with its link, which the chain key verifies offline', async () => {
    await smallDirectory()
    const lines = (await exported('exportAudit', { format: 'jsonl' })).text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    const key = chainKeyOf(fileKeyProvider(env.dbPath).getDataKey())
    let prev = GENESIS_HASH
    for (const entry of lines) {
      expect(entry.prev_hash).toBe(prev)
      const record = { id: entry.id as number, at: entry.at as number, actor: entry.actor as string, action: entry.action as never, target: entry.target as string | null, details: entry.details as string }
      expect(entryMac(key, prev, record)).toBe(entry.hash)
      prev = entry.hash as string
    }
    expect(lines.map((entry) => entry.id)).toEqual([...lines.map((entry) => entry.id as number)].sort((a, b) => a - b))

    // The screen's filter: one user (actor or target, any case), one action, or both.
    const newestFirst = async (input: Record<string, unknown>) => (await admin.ok('listAudit', { ...input, limit: 500 })).entries.map((entry) => entry.id).reverse()
    for (const filter of [{ user: 'MARIA@example.com' }, { action: 'user.updated' }, { user: 'maria@example.com', action: 'user.updated' }, { user: 'nobody@example.com' }]) {
      const { text } = await exported('exportAudit', { format: 'csv', ...filter })
      const rows = parse(text, { columns: true }) as { id: string }[]
      expect(rows.map((row) => Number(row.id)), JSON.stringify(filter)).toEqual(await newestFirst(filter))
    }
    const recorded = (await admin.ok('listAudit', { action: 'audit.exported', limit: 1 })).entries[0]
    expect(recorded).toMatchObject({ actor: 'admin@example.com', details: { format: 'csv', user: 'nobody@example.com', rows: 0 } })
  })
})

describe('the export statements', () => {
  const plan = ({ sql, params }: { sql: string; params: Record<string, unknown> }): string =>
    (env.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join(' | ')

  it('read the users in email order straight from the email index, never sorting the directory', () => {
    for (const classes of [null, ['active'], ['always', 'inherit']] as const) {
      const users = plan(usersForExportStatement({ filter: classes === null ? ALL_CLASSES : { classes, dueBy: null }, term: null }))
      expect(users, String(classes)).toMatch(/^SCAN u USING INDEX sqlite_autoindex_users_1/)
      expect(users, String(classes)).not.toMatch(/TEMP B-TREE/)
    }
    // A search sorts only its matches (in SQLite's sorter, which spills to disk), read from the trigram index.
    expect(plan(usersForExportStatement({ filter: ALL_CLASSES, term: { kind: 'substring', text: 'maria' } }))).toMatch(/SCAN s VIRTUAL TABLE/)
  })

  it('read the audit log in chain order, through the action index when filtered by action', () => {
    expect(plan(auditForExportStatement({}))).toBe('SCAN audit_log')
    expect(plan(auditForExportStatement({ action: 'user.updated' }))).toMatch(/^SEARCH audit_log USING INDEX audit_by_action \(action=\?\)$/)
    expect(plan(auditForExportStatement({ user: 'maria@example.com' }))).toMatch(/MULTI-INDEX OR/)
  })
})
