// What the parts of the service bench share: timing, the rows of the report, the cache of
// generated databases and calls through the dispatcher.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import type { ApiInput, ApiMethod, ApiOutput } from '../../src/shared/contract'
import type { Caller } from '../../src/main/core/caller'
import type { Core } from '../../src/main/core/open-core'

export interface Stats {
  runs: number
  p50: number
  p95: number
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? NaN
}

export function toStats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  return { runs: samples.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) }
}

/** Milliseconds per call, after a few untimed calls so every measurement sees a warm page cache. */
export async function measure(runs: number, fn: () => unknown, warmup = 3): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    await fn()
    samples.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  return toStats(samples)
}

/** Milliseconds since `started` (process.hrtime.bigint()). */
export function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6
}

/** One line of the report: an operation on a directory of `size` users (or a log of `size` entries). */
export interface Row {
  group: string
  operation: string
  size: number
  ours: Stats
  floor?: Stats
  naive?: { label: string; stats: Stats }
  /** The target for this operation at the largest size. */
  target?: { p95Ms: number; maxRatio?: number; label: string }
  note?: string
}

export function benchDir(): string {
  const dir = join(os.tmpdir(), 'twofa-admin-bench')
  mkdirSync(dir, { recursive: true })
  return dir
}

export async function call<M extends ApiMethod>(core: Core, caller: Caller, method: M, input: ApiInput<M> | Record<string, never>): Promise<ApiOutput<M>> {
  const result = await core.dispatch(method, caller, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`)
  return result.value
}

export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3))
export const sizeLabel = (size: number): string => (size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`)

/** Prints one measured row as it is taken. */
export function printRow(row: Row): void {
  const naive = row.naive ? `  naive ${row.naive.stats.p50.toFixed(3)}` : ''
  const floor = row.floor ? `  floor ${row.floor.p50.toFixed(3)}  x${(row.ours.p50 / row.floor.p50).toFixed(2)}` : ''
  console.log(`${row.size.toLocaleString('en').padStart(10)}  ${row.operation.padEnd(48)} p50 ${row.ours.p50.toFixed(3).padStart(9)}  p95 ${row.ours.p95.toFixed(3).padStart(9)}${floor}${naive}`)
}

/** What a process is given beyond its arguments: its standard input, more environment, its working directory. */
export interface ProcessInput {
  input?: string
  env?: Record<string, string>
  cwd?: string
  /** Killed after this long (default 30 minutes): the bench never waits forever. */
  timeoutMs?: number
}

/** Largest resident set of a finished process, in MiB, from GNU time (null without it), and what it printed. */
export function maxRssMiB(args: string[], given: ProcessInput = {}): { ms: number; rss: number | null; stdout: string } {
  const started = process.hrtime.bigint()
  const time = existsSync('/usr/bin/time')
  const options = {
    encoding: 'utf8' as const,
    maxBuffer: 1 << 20,
    input: given.input,
    cwd: given.cwd,
    env: given.env === undefined ? process.env : { ...process.env, ...given.env },
    timeout: given.timeoutMs ?? 30 * 60_000,
    killSignal: 'SIGKILL' as const
  }
  const result = time ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], options) : spawnSync(process.execPath, args, options)
  const elapsed = since(started)
  // A program given with -e is not repeated in the message.
  const shown = args.filter((arg) => !arg.includes('\n')).join(' ')
  if (result.error !== undefined) throw new Error(`${shown} did not finish: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`${shown} failed (${result.signal ?? result.status}): ${result.stderr}`)
  const kib = time ? Number(result.stderr.trim().split('\n').pop()) : NaN
  return { ms: elapsed, rss: Number.isFinite(kib) ? kib / 1024 : null, stdout: result.stdout }
}
