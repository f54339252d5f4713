// What one row of an import file says: the header's columns (any order, any
// case), and each row's fields checked the way a single change checks them
// (the same email and name rules as the screens' forms). A field left empty
// leaves an existing user's value as it is; for a new user it takes the default.
import { IMPORT_COLUMNS, type ImportColumn, type ImportProblem } from '../../../shared/contract/user-import'
import type { Enforcement, Role } from '../../../shared/domain'
import { emailSchema, nameSchema } from '../../../shared/schemas/fields'
import type { StagedRow } from '../../db/user-import-repo'
import { CsvFileError, type CsvRow } from './csv-rows'

export type Columns = ReadonlyMap<ImportColumn, number>

/** The columns of the header row; a missing email column, a repeated or (unless ignored) unknown one refuse the file. */
export function readHeader(header: CsvRow, ignoreUnknownColumns: boolean): Columns {
  const columns = new Map<ImportColumn, number>()
  const unknown: string[] = []
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase()
    if (name === '' && ignoreUnknownColumns) return
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      unknown.push(raw.trim() === '' ? `(empty, column ${index + 1})` : `"${raw.trim()}"`)
      return
    }
    if (columns.has(name as ImportColumn)) throw new CsvFileError(`The column "${name}" appears twice. Keep one.`, header.line)
    columns.set(name as ImportColumn, index)
  })
  if (unknown.length > 0 && !ignoreUnknownColumns) {
    throw new CsvFileError(
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. The columns are ${IMPORT_COLUMNS.join(', ')}; remove the others, or ignore them (--ignore-unknown-columns).`,
      header.line,
      'unknown-columns'
    )
  }
  if (!columns.has('email')) {
    throw new CsvFileError('There is no "email" column. The first line must name the columns, for example: email,name,role.', header.line)
  }
  return columns
}

export type RowReading = { kind: 'blank' } | { kind: 'row'; row: StagedRow } | { kind: 'problem'; problem: ImportProblem; email: string | null }

const YES = new Set(['yes', 'y', 'true', '1'])
const NO = new Set(['no', 'n', 'false', '0'])

/** One data row: the values it sets, or every problem with it at once. */
export function readRow(csv: CsvRow, columns: Columns, width: number): RowReading {
  const field = (column: ImportColumn): string | null => {
    const index = columns.get(column)
    const value = index === undefined ? undefined : csv.fields[index]?.trim()
    return value === undefined || value === '' ? null : value
  }
  if (csv.fields.every((value) => value.trim() === '')) return { kind: 'blank' }
  const rawEmail = field('email') ?? ''
  const problems: string[] = []
  if (csv.fields.length !== width) problems.push(`it has ${csv.fields.length} fields where the header has ${width}`)

  let email: string | null = null
  if (rawEmail === '') problems.push('the email is empty')
  else {
    const parsed = emailSchema.safeParse(rawEmail)
    if (parsed.success) email = parsed.data
    else problems.push(`"${rawEmail}": ${parsed.error.issues[0]?.message ?? 'not an email address'}`)
  }
  let name: string | null = null
  const rawName = field('name')
  if (rawName !== null) {
    const parsed = nameSchema.safeParse(rawName)
    if (parsed.success) name = parsed.data
    else problems.push(parsed.error.issues[0]?.message ?? 'the name is not valid')
  }
  const role = choice<Role>(field('role'), { admin: 'admin', user: 'user' }, 'role', 'admin or user', problems)
  const enforcement = choice<Enforcement>(
    field('enforce'),
    { yes: 'enforced', no: 'exempt', inherit: 'inherit' },
    'enforce',
    'yes, no or inherit (follow the policy)',
    problems
  )
  const disabled = yesNo(field('disabled'), problems)
  if (problems.length > 0 || email === null) {
    return { kind: 'problem', email, problem: { line: csv.line, email: rawEmail, message: sentence(problems) } }
  }
  return { kind: 'row', row: { line: csv.line, email, name, role, enforcement, disabled } }
}

function choice<T>(value: string | null, options: Record<string, T>, column: string, expected: string, problems: string[]): T | null {
  if (value === null) return null
  const chosen = options[value.toLowerCase()]
  if (chosen === undefined) problems.push(`${column} is "${value}": use ${expected}`)
  return chosen ?? null
}

function yesNo(value: string | null, problems: string[]): boolean | null {
  if (value === null) return null
  const lower = value.toLowerCase()
  if (YES.has(lower)) return true
  if (NO.has(lower)) return false
  problems.push(`disabled is "${value}": use yes or no`)
  return null
}

function sentence(problems: string[]): string {
  const text = problems.map((problem) => problem.replace(/\.$/, '')).join('; ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}
