// An import killed halfway (issue 10): the command line imports 30,000 rows
// in one transaction and is SIGKILLed at random moments, reading or applying.
// After every kill the directory is whole and holds either none of the file's
// users or all of them, with the audit entries to match; then a last run
// completes and imports all of them.
import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, openDirectoryCore } from './support/processes'
import { databaseOf } from '../../src/main/core/open-core'

const CLI = resolve(__dirname, '..', '..', 'bin', 'twofa-admin.cjs')
const ROWS = 30_000
const ROUNDS = 8
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31)

let dir: string | undefined
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function counts(dbPath: string): { users: number; audit: number } {
  const core = openDirectoryCore(dbPath)
  try {
    const db = databaseOf(core)
    return { users: db.prepare('SELECT count(*) FROM users').pluck().get() as number, audit: db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number }
  } finally {
    core.close()
  }
}

function runImport(dbPath: string, file: string, killAfterMs: number | null): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, [CLI, '--db', dbPath, 'import', 'users', file], { stdio: ['ignore', 'pipe', 'pipe'] })
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

describe('an import killed halfway', () => {
  it(`changes all or nothing across ${ROUNDS} SIGKILLs at random moments (seed ${SEED})`, async () => {
    let state = SEED >>> 0
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    let directory = await freshDirectory(['existing@chaos.example'])
    const made = [directory.dir]
    dir = directory.dir
    const file = join(directory.dir, 'people.csv')
    writeFileSync(file, ['email,name,enforce', ...Array.from({ length: ROWS }, (_, i) => `bulk${i}@chaos.example,Bulk ${i},${i % 2 ? 'yes' : ''}`)].join('\n'))
    const before = counts(directory.dbPath)
    // Kills that came before the commit (and so must have left nothing).
    let killed = 0
    for (let round = 0; round < ROUNDS; round++) {
      // From start-up through reading and applying (30,000 rows take about 3-6 s here).
      const run = await runImport(directory.dbPath, file, 100 + Math.floor(next() * 2500))
      const after = counts(directory.dbPath)
      const complete = { users: before.users + ROWS, audit: before.audit + ROWS + 1 }
      if (run.signal === 'SIGKILL') {
        // Killed before its commit: nothing; killed after it (while closing): everything. Never a part.
        if (after.users !== before.users) {
          expect(after, `round ${round}: a killed import left part of the file`).toEqual(complete)
          expect((await checkDirectory(directory.dbPath)).problems, `round ${round}`).toEqual([])
          // The file is in: go on with a fresh directory.
          directory = await freshDirectory(['existing@chaos.example'])
          made.push(directory.dir)
          continue
        }
        killed++
        expect(after, `round ${round}: a killed import left part of the file`).toEqual(before)
      } else {
        // Finished before the kill: everything is in, once. Go on with a fresh directory.
        expect(run.code, run.out).toBe(0)
        expect(after).toEqual(complete)
        directory = await freshDirectory(['existing@chaos.example'])
        made.push(directory.dir)
        continue
      }
      const { problems } = await checkDirectory(directory.dbPath)
      expect(problems, `round ${round}`).toEqual([])
    }
    expect(killed, 'no round killed the import before it finished: the test proved nothing').toBeGreaterThan(0)
    const last = await runImport(directory.dbPath, file, null)
    expect(last.code, last.out).toBe(0)
    const final = counts(directory.dbPath)
    expect(final.users).toBe(before.users + ROWS)
    expect((await checkDirectory(directory.dbPath)).problems).toEqual([])
    for (const other of made.slice(0, -1)) rmSync(other, { recursive: true, force: true })
    dir = directory.dir
  }, 180_000)
})
