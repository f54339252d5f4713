// A group change killed halfway (issue 12): the command line adds 10,000
// members to an enforced group in one transaction and is SIGKILLed at random
// moments. After every kill the group holds none of them or all of them, the
// directory is whole, and the group's counts (class counters by group set)
// equal a recount of its rows; then a last run completes.
import { spawn, spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI_CALLER } from '../../src/main/core/caller'
import { databaseOf } from '../../src/main/core/open-core'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, openDirectoryCore } from './support/processes'

const CLI = resolve(__dirname, '..', '..', 'bin', 'twofa-admin.cjs')
const MEMBERS = 10_000
const ROUNDS = 8
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31)

let dir: string | undefined
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const emails = Array.from({ length: MEMBERS }, (_, i) => `member${i}@chaos.example`)

async function prepare(): Promise<{ dir: string; dbPath: string; groupId: number }> {
  const directory = await freshDirectory()
  // The users come in as an import does it (audited, one transaction), so the directory check holds from the start.
  const file = join(directory.dir, 'people.csv')
  writeFileSync(file, ['email,name', ...emails.map((email, i) => `${email},Member ${i}`)].join('\n'))
  const imported = spawnSync(process.execPath, [CLI, '--db', directory.dbPath, 'import', 'users', file], { encoding: 'utf8' })
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`)
  const core = openDirectoryCore(directory.dbPath)
  try {
    const made = await core.dispatch('createGroup', CLI_CALLER, { name: 'Sales' })
    if (!made.ok) throw new Error(made.error.message)
    const enforced = await core.dispatch('enforceGroup', CLI_CALLER, { groupId: made.value.id, graceDays: 3 })
    if (!enforced.ok) throw new Error(enforced.error.message)
    return { ...directory, groupId: made.value.id }
  } finally {
    core.close()
  }
}

/** The group's members and pending count by its rows, and as the counters give them. */
async function groupState(dbPath: string, groupId: number): Promise<{ members: number; pending: number; counted: { members: number; pending: number } }> {
  const core = openDirectoryCore(dbPath)
  try {
    const db = databaseOf(core)
    const members = db.prepare('SELECT count(*) FROM group_members WHERE group_id = ?').pluck().get(groupId) as number
    const summary = await core.dispatch('getGroup', CLI_CALLER, { groupId })
    if (!summary.ok) throw new Error(summary.error.message)
    // Nobody here has 2FA or an override: every member is pending through the group.
    return { members, pending: members, counted: { members: summary.value.members, pending: summary.value.distribution.pending } }
  } finally {
    core.close()
  }
}

function runAdd(dbPath: string, killAfterMs: number | null): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, [CLI, '--db', dbPath, 'group', 'members', 'add', 'Sales', ...emails], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  return new Promise((done) =>
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      done({ code, signal, out })
    })
  )
}

describe('adding 10,000 members killed halfway', () => {
  it(`changes all or nothing across ${ROUNDS} SIGKILLs at random moments, and the counts stay exact (seed ${SEED})`, async () => {
    let state = SEED >>> 0
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    let directory = await prepare()
    const made = [directory.dir]
    dir = directory.dir
    let killedBefore = 0
    for (let round = 0; round < ROUNDS; round++) {
      const run = await runAdd(directory.dbPath, 100 + Math.floor(next() * 1500))
      const after = await groupState(directory.dbPath, directory.groupId)
      expect(after.counted, `round ${round}: the counters disagree with the rows`).toEqual({ members: after.members, pending: after.pending })
      expect([0, MEMBERS], `round ${round}: a killed change left part of the members (${after.members})`).toContain(after.members)
      expect((await checkDirectory(directory.dbPath)).problems.slice(0, 5), `round ${round}`).toEqual([])
      if (run.signal === 'SIGKILL' && after.members === 0) {
        killedBefore++
        continue
      }
      if (run.signal !== 'SIGKILL') expect(run.code, run.out).toBe(0)
      // All in: go on with a fresh directory.
      directory = await prepare()
      made.push(directory.dir)
    }
    expect(killedBefore, 'no round killed the change before it finished: the test proved nothing').toBeGreaterThan(0)
    const last = await runAdd(directory.dbPath, null)
    expect(last.code, last.out).toBe(0)
    expect(await groupState(directory.dbPath, directory.groupId)).toEqual({ members: MEMBERS, pending: MEMBERS, counted: { members: MEMBERS, pending: MEMBERS } })
    for (const other of made.slice(0, -1)) rmSync(other, { recursive: true, force: true })
    dir = directory.dir
  }, 240_000)
})
