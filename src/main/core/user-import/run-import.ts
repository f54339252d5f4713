// An import from first byte to last: the rows are read and staged (streamed,
// any size), then applied in one write transaction, row by row through the
// same rules as a single change. Any problem, a dry run, or a change that
// needs the administrator's recent password or code rolls the whole
// transaction back: nothing is changed. A dry run is the real run, undone, so
// it can never say something the import would not do.
import type { ImportChange, ImportProblem, ImportResult } from '../../../shared/contract/user-import'
import { writeTransaction, type Database } from '../../db/connection'
import { readEnforcementPolicy } from '../enforcement/policy'
import { requireStillAdmin } from '../still-admin'
import * as staging from '../../db/user-import-repo'
import { appendAudit } from '../audit/chain'
import { CsvFileError, readCsvRows } from './csv-rows'
import { applyRow, type ImportActor, type RowTally } from './apply-row'
import { readHeader, readRow } from './import-row'

export type { ImportActor } from './apply-row'

export interface ImportOptions {
  dryRun: boolean
  ignoreUnknownColumns: boolean
  actor: ImportActor
  now: number
  /** Problems kept in the answer (all are counted); the screens get 1,000. */
  maxErrors?: number
  /** Reading: rows read, total 0 (unknown); applying: rows applied of all rows. */
  onProgress?: (progress: { phase: 'reading' | 'applying'; done: number; total: number }) => void
  /** Awaited after the reading, right before the write transaction (TaskEnv.beforeWriting): the staging is this connection's own. */
  beforeWriting?: () => Promise<void>
}

/** The answer, and whether it was refused only for want of a recent password or code. */
export interface ImportOutcome extends ImportResult {
  reauthRequired: boolean
}

const MAX_CHANGES_SHOWN = 500
const BATCH = 1000

/** Thrown inside the transaction to undo it; never escapes runImport. */
class Undo extends Error {}

export async function runImport(db: Database, source: AsyncIterable<Uint8Array | string>, options: ImportOptions): Promise<ImportOutcome> {
  const maxErrors = options.maxErrors ?? Number.POSITIVE_INFINITY
  const problems: ImportProblem[] = []
  let problemCount = 0
  const report = (problem: ImportProblem): void => {
    problemCount++
    if (problems.length < maxErrors) problems.push(problem)
  }
  const progress = options.onProgress ?? (() => {})

  staging.beginStaging(db)
  try {
    // 1. Read and stage: every row checked on its own, duplicates found by the staging table.
    let rows = 0
    let header: ReturnType<typeof readHeader> | null = null
    let width = 0
    try {
      for await (const csv of readCsvRows(source)) {
        if (header === null) {
          header = readHeader(csv, options.ignoreUnknownColumns)
          width = csv.fields.length
          continue
        }
        const reading = readRow(csv, header, width)
        if (reading.kind === 'blank') continue
        rows++
        if (rows % BATCH === 0) progress({ phase: 'reading', done: rows, total: 0 })
        if (reading.kind === 'problem') {
          report(reading.problem)
          // A row with a problem still claims its email, so a later duplicate is reported too.
          if (reading.email !== null) staging.stageRow(db, { line: csv.line, email: reading.email, name: null, role: null, enforcement: null, disabled: null })
          continue
        }
        const earlier = staging.stageRow(db, reading.row)
        if (earlier !== null) report({ line: csv.line, email: reading.row.email, message: `${reading.row.email} is also on line ${earlier}: each user may appear once.` })
      }
    } catch (error) {
      // A file that cannot be read to its end (not UTF-8, a broken quote, a bad header) imports nothing.
      if (!(error instanceof CsvFileError)) throw error
      report({ line: error.line, email: '', message: error.message, ...(error.problem ? { code: error.problem } : {}) })
      return refused(rows, problems, problemCount, options.dryRun)
    }
    if (header === null) {
      report({ line: 1, email: '', message: 'The file is empty. Its first line must name the columns, for example: email,name,role.' })
    }
    progress({ phase: 'reading', done: rows, total: 0 })

    // 2. Apply in one transaction, in file order; undone unless everything holds and this is not a dry run.
    const tally: RowTally = { created: 0, updated: 0, unchanged: 0, newAdmins: 0, reauthRequired: false }
    const changes: ImportChange[] = []
    const failedLines = new Set(problems.map((problem) => problem.line))
    const note = (change: ImportChange | null): void => {
      if (change !== null && changes.length < MAX_CHANGES_SHOWN) changes.push(change)
    }
    let applied = false
    await options.beforeWriting?.()
    try {
      writeTransaction(db, () => {
        requireStillAdmin(db, options.actor.userId)
        const policy = readEnforcementPolicy(db)
        let done = 0
        for (let batch = staging.stagedRowsAfter(db, 0, BATCH); batch.length > 0; ) {
          for (const row of batch) {
            done++
            if (failedLines.has(row.line)) continue
            const outcome = applyRow(db, row, { actor: options.actor, now: options.now, policy }, tally)
            if (outcome.kind === 'problem') report({ line: row.line, email: row.email, message: outcome.message })
            else note(outcome.change)
          }
          progress({ phase: 'applying', done, total: rows })
          const last = batch[batch.length - 1]
          batch = last === undefined ? [] : staging.stagedRowsAfter(db, last.line, BATCH)
        }
        if (problemCount > 0 || options.dryRun || tally.reauthRequired) throw new Undo()
        appendAudit(db, options.now, {
          actor: options.actor.label,
          action: 'users.imported',
          details: { rows, created: tally.created, updated: tally.updated, unchanged: tally.unchanged }
        })
        applied = true
      })
    } catch (error) {
      if (!(error instanceof Undo)) throw error
    }
    problems.sort((a, b) => a.line - b.line)
    return {
      applied,
      dryRun: options.dryRun,
      rows,
      created: tally.created,
      updated: tally.updated,
      unchanged: tally.unchanged,
      errors: problems,
      errorsTotal: problemCount,
      changes,
      newAdmins: tally.newAdmins,
      reauthRequired: tally.reauthRequired && problemCount === 0
    }
  } finally {
    staging.endStaging(db)
  }
}

function refused(rows: number, problems: ImportProblem[], errorsTotal: number, dryRun: boolean): ImportOutcome {
  return { applied: false, dryRun, rows, created: 0, updated: 0, unchanged: 0, errors: problems, errorsTotal, changes: [], newAdmins: 0, reauthRequired: false }
}
