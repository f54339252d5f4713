// Reads an import file as rows with their line numbers: UTF-8 (with or without
// a BOM), comma or semicolon separated (decided by the header line), RFC 4180
// quoting with commas, quotes and line breaks inside fields. The parsing is
// csv-parse's; this module only decodes, detects the separator and numbers the
// lines. A file that is not UTF-8, or whose quoting is broken, stops the read
// with the line where it went wrong.
import { CsvError, parse } from 'csv-parse'
import { AppError } from '../../../shared/errors'

/** Far beyond any row of five short columns; a row longer than this is refused. */
const MAX_ROW_CHARACTERS = 64 * 1024

export interface CsvRow {
  /** The file line where the row begins (the header is line 1). */
  line: number
  fields: string[]
}

/** Why the file cannot be read at all: with the line, when one is to blame. */
export class CsvFileError extends AppError {
  constructor(
    message: string,
    readonly line: number,
    readonly problem?: 'unknown-columns'
  ) {
    super('VALIDATION', message)
  }
}

/** Text from bytes or strings, refusing anything that is not UTF-8 instead of reading it as replacement characters. */
async function* decodeUtf8(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  // fatal: a byte sequence that is not UTF-8 throws; the BOM, if any, is dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true })
  try {
    for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    const rest = decoder.decode()
    if (rest !== '') yield rest
  } catch (error) {
    if (error instanceof TypeError) {
      throw new CsvFileError('The file is not UTF-8 text. Save it as "CSV UTF-8" (Excel) or "Text CSV" with UTF-8 (LibreOffice) and try again.', 0)
    }
    throw error
  }
}

/** The separator of the header line: the one of comma and semicolon that occurs more often outside quotes. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0
  let semicolons = 0
  let quoted = false
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted
    else if (!quoted && char === ',') commas++
    else if (!quoted && char === ';') semicolons++
  }
  return semicolons > commas ? ';' : ','
}

/** The first line (to detect the separator) without consuming it: the text read so far is handed back. */
async function peekHeader(text: AsyncIterator<string>): Promise<{ head: string; done: boolean }> {
  let head = ''
  for (;;) {
    const next = await text.next()
    if (next.done) return { head, done: true }
    head += next.value
    if (/[\r\n]/.test(head)) return { head, done: false }
  }
}

/** The rows of a CSV file, the header first. Empty lines are skipped; line numbers count them. */
export async function* readCsvRows(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvRow> {
  const text = decodeUtf8(source)[Symbol.asyncIterator]()
  const { head, done } = await peekHeader(text)
  // A BOM read as text (a string source) is dropped like the decoder drops it from bytes.
  const start = head.replace(/^\uFEFF/, '')
  const delimiter = detectDelimiter(start.split(/[\r\n]/, 1)[0] ?? '')
  const parser = parse({
    delimiter,
    bom: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // A quote never closed would otherwise hold the rest of the file in one field.
    max_record_size: MAX_ROW_CHARACTERS,
    record_delimiter: ['\r\n', '\n', '\r']
  })
  // Feeds the parser as it is read; a failure to read ends the parser with that error.
  const feed = (async () => {
    try {
      if (!parser.write(start)) await onceDrained(parser)
      if (!done) {
        for (let next = await text.next(); !next.done && !parser.destroyed; next = await text.next()) {
          if (!parser.write(next.value)) await onceDrained(parser)
        }
      }
      parser.end()
    } catch (error) {
      parser.destroy(error as Error)
    }
  })()
  // Line breaks read so far: each raw record carries the empty lines skipped before it and its own ending.
  let breaks = 0
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const skipped = countBreaks(record.raw.match(/^[\r\n]*/)?.[0] ?? '')
      yield { line: 1 + breaks + skipped, fields: record.record }
      breaks += countBreaks(record.raw)
    }
  } catch (error) {
    throw describeParseError(error)
  } finally {
    parser.destroy()
    await feed
  }
}

/** Until the parser wants more, or is gone (the reader stopped early, or it failed). */
function onceDrained(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}

/** Line breaks as a text editor counts them: CRLF, LF or a lone CR each end one line. */
function countBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0
}

function describeParseError(error: unknown): Error {
  if (error instanceof AppError) return error
  if (error instanceof CsvError) {
    const code: string = error.code
    const line = Number((error as unknown as { lines?: unknown }).lines ?? 0)
    const what =
      code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed'
        : code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE'
          ? 'a field with a quote (") in it must be quoted as a whole, with the quote doubled: "Ma""ria"'
          : code === 'CSV_MAX_RECORD_SIZE'
            ? 'a row is longer than 64 KB'
            : 'the CSV is malformed'
    return new CsvFileError(`${what.charAt(0).toUpperCase()}${what.slice(1)}. Fix the file and try again; nothing was changed.`, line)
  }
  return error as Error
}
