// User import: bring people in from a CSV file (admins only). A dry run says
// what the import would do; a real one changes everything or nothing.
import type { ListsEvery, NoInput } from './slice'

export interface ImportUsersInput {
  /** The file's text: RFC 4180 CSV with a header row, comma or semicolon separated. */
  csv: string
  /** Report what would happen, change nothing. */
  dryRun: boolean
  /** Columns other than email, name, role, enforce and disabled are ignored instead of refused. */
  ignoreUnknownColumns?: boolean
}

/** A row that cannot be imported: its line in the file (the header is line 1). */
export interface ImportProblem {
  line: number
  /** The row's email as written, or '' when there is none. */
  email: string
  message: string
  /** Set when the file was refused for columns the import does not know: ignoring them (ignoreUnknownColumns) is the way on. */
  code?: 'unknown-columns'
}

/** What an import does (or would do) to one user. */
export interface ImportChange {
  line: number
  email: string
  kind: 'create' | 'update'
  /** Each field that changes: its value before (null for a new user) and after. */
  fields: Partial<Record<'name' | 'role' | 'enforcement' | 'disabled', { from: string | null; to: string }>>
}

export interface ImportResult {
  /** Whether the changes were made: false for a dry run and for a refused import. */
  applied: boolean
  dryRun: boolean
  /** Data rows read (blank lines not counted). */
  rows: number
  created: number
  updated: number
  unchanged: number
  /** Every problem found (the screens get the first 1,000; errorsTotal counts them all). Any problem: nothing changed. */
  errors: ImportProblem[]
  errorsTotal: number
  /** The first 500 changes, in file order, for a preview. */
  changes: ImportChange[]
  /** New administrators in the file (they need the administrator's recent password or code). */
  newAdmins: number
}

export interface ImportProgress {
  /** Whether an import runs in this process now. */
  running: boolean
  phase: 'reading' | 'applying' | null
  /** Rows read or applied so far, of `total` (0 while unknown). */
  done: number
  total: number
}

export interface UserImportApi {
  importUsers: { input: ImportUsersInput; output: ImportResult }
  getImportProgress: { input: NoInput; output: ImportProgress }
}

export const USER_IMPORT_METHODS = ['importUsers', 'getImportProgress'] as const
const listed: ListsEvery<UserImportApi, typeof USER_IMPORT_METHODS> = true
void listed

/** The values the columns take, for the screens' help and the CLI's. */
export const IMPORT_COLUMNS = ['email', 'name', 'role', 'enforce', 'disabled'] as const
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]
/** The largest file the screens send (about 300,000 rows); the command line streams any size. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024
