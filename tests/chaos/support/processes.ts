// Starting chaos workers and a fresh directory for them.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore, type Core } from '../../../src/main/core/open-core'
import { parseLine, WORKER_PASSWORD, type WorkerConfig, type WorkerReport } from './protocol'

export const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 }

export interface WorkerProcess {
  readonly pid: number
  /** Emails the worker reported as created (each line is written after its commit). */
  readonly acknowledged: string[]
  /** Resolves once the worker has opened the database. */
  readonly ready: Promise<void>
  /** Resolves when the process is gone, with its report if it ended normally. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; report: WorkerReport | null; stderr: string }>
  kill(): void
}

export function startWorker(config: WorkerConfig): WorkerProcess {
  const child = spawn(process.execPath, [inject('chaosWorker'), JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] })
  const acknowledged: string[] = []
  let report: WorkerReport | null = null
  let stderr = ''
  let buffered = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const event = parseLine(buffered.slice(0, newline))
      buffered = buffered.slice(newline + 1)
      if (event?.kind === 'ready') markReady()
      else if (event?.kind === 'created') acknowledged.push(event.email)
      else if (event?.kind === 'report') report = event.report
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; report: WorkerReport | null; stderr: string }>((resolve) => {
    // 'close' comes after the last stdout data, so every acknowledged line is in.
    child.once('close', (code, signal) => {
      markReady()
      resolve({ code, signal, report, stderr })
    })
  })
  return {
    pid: child.pid ?? -1,
    acknowledged,
    ready,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  }
}

/** A new directory with its key, initialised as `twofa-admin init` does, and `users` plain users. */
export async function freshDirectory(users: string[] = []): Promise<{ dir: string; dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'twofa-chaos-'))
  const dbPath = join(dir, 'directory.db')
  const core = openDirectoryCore(dbPath)
  try {
    core.local.ensureDataKey()
    for (const email of users) {
      const result = await core.dispatch('createUser', CLI_CALLER, { name: email, email, role: 'user', password: WORKER_PASSWORD })
      if (!result.ok) throw new Error(`createUser ${email}: ${result.error.message}`)
    }
  } finally {
    core.close()
  }
  return { dir, dbPath }
}

export function openDirectoryCore(dbPath: string): Core {
  return openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: FAST_KDF })
}
