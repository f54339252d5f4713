// How the command line prints: dates in ISO form, and tables that stream (the
// column widths come from the first rows, so a million users never sit in memory).
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

/** Prints items as one JSON array, one element at a time. */
export async function printJsonArray<T>(io: CliIo, items: AsyncIterable<T> | Iterable<T>, toJson: (item: T) => unknown = (item) => item): Promise<void> {
  let first = true
  await io.stdout('[')
  for await (const item of items) {
    await io.stdout(`${first ? '' : ','}${JSON.stringify(toJson(item))}`)
    first = false
  }
  await io.stdout(']\n')
}
