// How the command line prints: dates in ISO form, tables that stream (the
// column widths come from the first rows, so a million users never sit in memory),
// and exports to standard output or to a file put in place only once complete.
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { AppError } from '../shared/errors'
import type { CliIo } from './io'

export function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Rows that set the column widths before the first line is printed; later, longer cells just run over. */
const WIDTH_SAMPLE = 200

/**
 * Prints rows under a header, aligned by the widest cell among the first
 * WIDTH_SAMPLE rows: constant memory at any number of rows.
 */
export async function printTable(io: CliIo, header: readonly string[], rows: AsyncIterable<readonly string[]>, empty: string): Promise<void> {
  const sample: (readonly string[])[] = []
  let widths: number[] | null = null
  const line = (row: readonly string[], w: readonly number[]): string => row.map((cell, col) => cell.padEnd(w[col] ?? 0)).join('  ').trimEnd() + '\n'
  const flush = async (): Promise<number[]> => {
    const w = header.map((title, col) => sample.reduce((max, row) => Math.max(max, row[col]?.length ?? 0), title.length))
    await io.stdout(line(header, w))
    for (const row of sample) await io.stdout(line(row, w))
    sample.length = 0
    return w
  }
  for await (const row of rows) {
    if (widths !== null) await io.stdout(line(row, widths))
    else {
      sample.push(row)
      if (sample.length === WIDTH_SAMPLE) widths = await flush()
    }
  }
  if (widths === null) {
    if (sample.length === 0) await io.stdout(`${empty}\n`)
    else await flush()
  }
}

/** Writes items as one JSON array, one element at a time, to standard output or an export's sink. */
export async function printJsonArray<T>(
  out: CliIo | Pick<Sink, 'write'>,
  items: AsyncIterable<T> | Iterable<T>,
  toJson: (item: T) => unknown = (item) => item
): Promise<void> {
  const write = 'write' in out ? (text: string) => out.write(text) : (text: string) => out.stdout(text)
  let first = true
  await write('[')
  for await (const item of items) {
    await write(`${first ? '' : ','}${JSON.stringify(toJson(item))}`)
    first = false
  }
  await write(']\n')
}

/** Where an export goes: standard output, or a file (see openSink). */
export interface Sink {
  write(text: string): Promise<void>
  /** Everything is written: a file is flushed to disk and put in place. */
  finish(): Promise<void>
  /** Something failed: a file is removed, nothing half written is left. */
  abandon(): Promise<void>
}

/** Whether a process with this id runs (one that another user runs counts as running). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes what exports to `target` left when they were killed: temporary files of processes that no longer run. */
function removeAbandoned(target: string): void {
  const prefix = `.${basename(target)}.partial-`
  let names: string[]
  try {
    names = readdirSync(dirname(target))
  } catch {
    return
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length)) : null
    if (match && !running(Number(match[1]))) rmSync(join(dirname(target), name), { force: true })
  }
}

/** Bytes gathered before one write to a file. */
const FILE_CHUNK = 64 * 1024

/**
 * Standard output, or the file `out`: written owner-only (it holds the directory's
 * emails) under a temporary name beside it, and renamed into place only once complete,
 * so an interrupted export never leaves a file that looks whole. An existing file is
 * never replaced.
 */
export async function openSink(io: CliIo, out: string | undefined): Promise<Sink> {
  if (out === undefined) return { write: async (text) => io.stdout(text), finish: async () => {}, abandon: async () => {} }
  const target = resolve(out)
  if (existsSync(target)) throw new AppError('VALIDATION', `${target} already exists: choose another name, or remove it first. Nothing was written.`)
  removeAbandoned(target)
  const temporary = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`)
  let file: FileHandle
  try {
    file = await open(temporary, 'wx', 0o600)
  } catch (error) {
    throw new AppError('VALIDATION', `Cannot write in ${dirname(target)}: ${(error as Error).message}. Choose another place for --out.`)
  }
  let pending: string[] = []
  let size = 0
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return
    const text = pending.join('')
    pending = []
    size = 0
    await file.write(text)
  }
  return {
    async write(text) {
      pending.push(text)
      size += text.length
      if (size >= FILE_CHUNK) await flush()
    },
    async finish() {
      await flush()
      await file.sync()
      await file.close()
      if (existsSync(target)) {
        await rm(temporary, { force: true })
        throw new AppError('VALIDATION', `${target} appeared while the export ran: nothing was replaced. Export again under another name.`)
      }
      await rename(temporary, target)
    },
    async abandon() {
      await file.close().catch(() => {})
      await rm(temporary, { force: true })
    }
  }
}
