// CSV as exports write it (RFC 4180): fields with a comma, a quote or a line
// break are quoted, quotes doubled, lines end in CRLF. A field a spreadsheet
// would run as a formula (beginning with =, +, -, @, a tab or a carriage
// return) is written with a leading apostrophe, as OWASP advises against CSV
// injection: a name like "=HYPERLINK(...)" is shown, never run.
const FORMULA_START = /^[=+\-@\t\r]/

export function csvField(value: string | number | boolean | null): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}
