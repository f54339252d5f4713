// How an export's rows become text, in each format: CSV (RFC 4180, with the
// formula starts neutralised: src/shared/csv.ts), one JSON array, or JSON lines.
// The text is made here once; the command line writes it to standard output or
// a file, the background task to a file.
import { csvLine } from '../../../shared/csv'

export type ExportFormat = 'csv' | 'json' | 'jsonl'

type Cell = string | number | boolean | null

/** The text before the first row, of each row, and after the last. */
export interface ExportEncoding<R extends Record<string, Cell>> {
  header: string
  /** `index`: the row's 0-based position (a JSON array separates its elements). */
  line(record: R, index: number): string
  footer: string
}

export function exportEncoding<R extends Record<string, Cell>>(format: ExportFormat, columns: readonly (keyof R & string)[]): ExportEncoding<R> {
  switch (format) {
    case 'csv':
      return { header: csvLine(columns), line: (record) => csvLine(columns.map((column) => record[column] ?? null)), footer: '' }
    case 'json':
      return { header: '[', line: (record, index) => `${index === 0 ? '' : ','}${JSON.stringify(record)}`, footer: ']\n' }
    case 'jsonl':
      return { header: '', line: (record) => `${JSON.stringify(record)}\n`, footer: '' }
  }
}

/** The file name ending of each format. */
export const EXPORT_EXTENSION: Record<ExportFormat, string> = { csv: 'csv', json: 'json', jsonl: 'jsonl' }

/** The media type a download of each format is served with. */
export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8'
}
