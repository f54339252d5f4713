// The sign-in part of `npm run bench` (issue 11, "Speed"): password checks at
// full load. `clients` screens each sign in again and again for `seconds`
// (so that many sign-ins are always in flight), through the dispatcher, at the
// OWASP scrypt cost; meanwhile a trivial call (getAppState) and a read of a
// small static file are timed, one after another, as a screen and the
// preview's file server would make them. Once with the password checks' own
// pool (crypto/password-pool.ts) and once as before it, on libuv's four-thread
// pool that file reads share (`passwordThreads: 0`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { CLI_CALLER, type Caller } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { DEFAULT_PASSWORD_THREADS } from '../../src/main/core/crypto/password-pool'
import { hashPassword, OWASP_SCRYPT } from '../../src/main/core/crypto/passwords'
import { databaseOf, openCore } from '../../src/main/core/open-core'
import * as usersRepo from '../../src/main/db/users-repo'
import { benchDir, call, ms, toStats, type Stats } from './common'

export interface SignInOptions {
  /** Screens signing in at once, each again as soon as its last sign-in is answered. */
  clients: number
  /** How long each way is loaded. */
  seconds: number
}

export interface SignInRow {
  label: string
  threads: number
  accepted: number
  refused: number
  elapsedMs: number
  login: Stats
  appState: Stats
  fileRead: Stats
  longestStallMs: number
  baseRssMiB: number
  peakRssMiB: number
}

const PASSWORD = 'bench password for the sign-ins 2026'
const FAST = { N: 2 ** 10, r: 8, p: 1 }

const newScreen = (): Caller => ({ kind: 'session', holder: { sessionId: null } })
const pause = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay))

/** A directory of `clients` users without 2FA, each with the same OWASP-cost password hash (made once, not once per user). */
async function signInDirectory(dir: string, clients: number): Promise<{ dbPath: string; emails: string[] }> {
  const dbPath = join(dir, 'directory.db')
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: FAST, passwordThreads: 0 })
  const emails = Array.from({ length: clients }, (_, i) => `signin.${String(i).padStart(3, '0')}@bench.example`)
  try {
    for (const email of emails) await call(core, CLI_CALLER, 'createUser', { name: email.split('@')[0] ?? email, email, role: 'user', password: PASSWORD })
    const hash = await hashPassword(PASSWORD, OWASP_SCRYPT)
    const db = databaseOf(core)
    db.transaction(() => {
      for (const email of emails) usersRepo.updatePasswordHash(db, usersRepo.findUserByEmail(db, email)!.id, hash, Date.now())
    })()
  } finally {
    core.close()
  }
  return { dbPath, emails }
}

async function loadOneWay(label: string, threads: number, dbPath: string, emails: string[], staticFile: string, options: SignInOptions): Promise<SignInRow> {
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordThreads: threads })
  try {
    // One untimed sign-in: the pool's first thread starts, the page cache is warm.
    await call(core, newScreen(), 'login', { email: emails[0]!, password: PASSWORD })
    const baseRss = process.memoryUsage().rss
    let peakRss = baseRss
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }, 20)
    const loop = monitorEventLoopDelay({ resolution: 1 })
    loop.enable()
    const started = performance.now()
    const deadline = started + options.seconds * 1000
    const logins: number[] = []
    // Counted only until the deadline: after it, the clients stop one by one and the load falls.
    let accepted = 0
    let refused = 0
    const client = async (email: string) => {
      while (performance.now() < deadline) {
        const at = performance.now()
        const result = await core.dispatch('login', newScreen(), { email, password: PASSWORD })
        if (result.ok && result.value.step === 'signed-in') {
          if (performance.now() <= deadline) accepted++
          logins.push(performance.now() - at)
        } else if (!result.ok && result.error.code === 'DATABASE_BUSY') refused++
        else throw new Error(`login of ${email}: ${result.ok ? result.value.step : `${result.error.code} ${result.error.message}`}`)
      }
    }
    const loaded = Promise.all(emails.map(client))
    // Only while every client is still signing in: the load is full until the deadline.
    const probe = async (into: number[], fn: () => Promise<unknown>) => {
      while (performance.now() < deadline) {
        const at = performance.now()
        await fn()
        into.push(performance.now() - at)
        await pause(10)
      }
    }
    const appState: number[] = []
    const fileRead: number[] = []
    await Promise.all([loaded, probe(appState, () => call(core, newScreen(), 'getAppState', {})), probe(fileRead, () => readFile(staticFile))])
    const elapsedMs = Math.min(performance.now(), deadline) - started
    loop.disable()
    clearInterval(sampler)
    return {
      label,
      threads,
      accepted,
      refused,
      elapsedMs,
      login: toStats(logins),
      appState: toStats(appState),
      fileRead: toStats(fileRead),
      longestStallMs: Math.max(0, loop.max / 1e6 - 1),
      baseRssMiB: baseRss / 2 ** 20,
      peakRssMiB: peakRss / 2 ** 20
    }
  } finally {
    core.close()
  }
}

function printSignInRow(row: SignInRow): void {
  console.log(
    `${row.label.padEnd(34)} ${(row.accepted / (row.elapsedMs / 1000)).toFixed(2).padStart(6)} sign-ins/s  login p95 ${ms(row.login.p95).padStart(6)}  ` +
      `getAppState p95 ${ms(row.appState.p95).padStart(7)}  file read p95 ${ms(row.fileRead.p95).padStart(7)}  peak RSS ${row.peakRssMiB.toFixed(0)} MiB`
  )
}

export async function benchSignIn(options: SignInOptions, rows: SignInRow[]): Promise<void> {
  const dir = mkdtempSync(join(benchDir(), 'signin-'))
  try {
    process.stdout.write(`Sign-in: ${options.clients} users with an OWASP-cost password ... `)
    const { dbPath, emails } = await signInDirectory(dir, options.clients)
    console.log('ready')
    // What the preview serves for every screen: a small file read through libuv, as app:// and the HTTP server do.
    const staticFile = join(dir, 'index.html')
    writeFileSync(staticFile, `<!doctype html><title>2FA Admin</title>${'<!-- padding -->'.repeat(200)}`)
    for (const [label, threads] of [
      [`password pool, ${DEFAULT_PASSWORD_THREADS} threads`, DEFAULT_PASSWORD_THREADS],
      ["libuv's thread pool (before)", 0]
    ] as const) {
      const row = await loadOneWay(label, threads, dbPath, emails, staticFile, options)
      rows.push(row)
      printSignInRow(row)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function reportSignIn(rows: SignInRow[], options: SignInOptions, measured: string[]): string {
  const lines = [
    '## Sign-in under load',
    '',
    `Issue 11's rows: ${options.clients} screens each signing in again as soon as the last sign-in is answered, for ${options.seconds} s, so ${options.clients} sign-ins are in flight throughout ` +
      `(\`--signin-clients ${options.clients} --signin-seconds ${options.seconds}\`); sign-ins per second count those answered within that time, the probes run within it too. Each is \`login\` through the dispatcher with the right password of a user without 2FA (an accepted sign-in: ` +
      `an OWASP scrypt check, N=2^${Math.log2(OWASP_SCRYPT.N)} r=${OWASP_SCRYPT.r} p=${OWASP_SCRYPT.p}, 128 MiB, and a commit). Meanwhile, one after another with 10 ms between them, a screen's ` +
      '`getAppState` and a read of a small static file (what the preview and app:// serve from disk, through libuv) are timed. ' +
      "**password pool**: the checks' own worker threads (src/main/core/crypto/password-pool.ts), the rest waiting in turn; **before**: node's async scrypt on libuv's four threads, which file reads share. " +
      'Milliseconds; resident set sampled every 20 ms in this process.',
    '',
    ...measured,
    '',
    '| Password checks | accepted sign-ins/s | refused | login p50 | login p95 | getAppState p95 | file read p50 | file read p95 | longest event-loop stall | RSS before | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  ]
  for (const row of rows) {
    lines.push(
      `| ${row.label} | ${(row.accepted / (row.elapsedMs / 1000)).toFixed(2)} | ${row.refused} | ${ms(row.login.p50)} | ${ms(row.login.p95)} | ${ms(row.appState.p95)} | ${ms(row.fileRead.p50)} | ${ms(row.fileRead.p95)} | ${ms(row.longestStallMs)} | ${row.baseRssMiB.toFixed(0)} MiB | ${row.peakRssMiB.toFixed(0)} MiB |`
    )
  }
  return lines.join('\n')
}
