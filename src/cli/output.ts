// How the command line prints: dates in ISO form, tables that stream (the
// column widths come from the first rows, so a million users never sit in memory),
// and exports to standard output or to a file put in place only once complete.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { AppError } from '../shared/errors'
import { PartialFile, partialPathFor, placeExportFile } from '../main/core/export/export-file'
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

/**
 * Standard output, or the file `out`: written owner-only under a temporary name
 * beside it and renamed into place only once complete (the core's export file,
 * src/main/core/export/export-file.ts). An existing file is never replaced.
 */
export async function openSink(io: CliIo, out: string | undefined): Promise<Sink> {
  if (out === undefined) return { write: async (text) => io.stdout(text), finish: async () => {}, abandon: async () => {} }
  const target = resolve(out)
  if (existsSync(target)) throw new AppError('VALIDATION', `${target} already exists: choose another name, or remove it first. Nothing was written.`)
  const file = PartialFile.create(partialPathFor(target))
  return {
    write: async (text) => file.write(text),
    async finish() {
      file.complete()
      placeExportFile(file.path, target, { overwrite: false })
    },
    abandon: async () => file.discard()
  }
}
