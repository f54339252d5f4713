// Account > Users > Import users: choose a CSV file, see every change and
// every problem before anything happens, then import with a progress bar.
// Pure: the steps and answers come in as props (store/slices/user-import.ts).
import { useId, type ReactNode } from 'react'
import type { ImportProgress, ImportResult } from '../../../shared/contract/user-import'
import { visibleText } from '../../../shared/text'
import { plural } from '../lib/format'
import { Dialog } from './Dialog'
import { hasUnknownColumns, ImportChanges, ImportCounts, ImportProblems } from './ImportPreview'
import { ErrorMessage } from './Messages'
import './ImportUsersDialog.css'

export type ImportDialogStep = 'choose' | 'checking' | 'preview' | 'importing' | 'done'

export interface ImportUsersDialogProps {
  step: ImportDialogStep
  fileName: string | null
  ignoreUnknownColumns: boolean
  result: ImportResult | null
  progress: ImportProgress | null
  error: string | null
  onChooseFile: (file: File) => void
  onIgnoreUnknownColumns: (ignore: boolean) => void
  onImport: () => void
  onChooseAnother: () => void
  onClose: () => void
}

const COLUMN_HELP: [string, string][] = [
  ['email', 'Required: users are matched by it.'],
  ['name', 'A new user without one is named after their email (the part before the @).'],
  ['role', 'admin or user (new users: user).'],
  ['enforce', 'Enforce 2FA activation: yes, no, or inherit to follow Account > Security.'],
  ['disabled', 'yes or no: whether the account is disabled.']
]

const count = (n: number): string => n.toLocaleString('en-US')

/** What the bar says. The import reads the file again before it saves, so its bar covers both passes. */
export function progressText(step: 'checking' | 'importing', fileName: string, progress: ImportProgress | null, rows: number | null): { label: string; value: number | null; max: number } {
  const phase = progress?.phase ?? null
  const done = progress?.done ?? 0
  if (step === 'checking') {
    if (phase === 'applying' && progress && progress.total > 0) return { label: `Checking ${fileName}: ${count(done)} of ${plural(progress.total, 'row')}`, value: done, max: progress.total }
    if (phase === 'reading' && done > 0) return { label: `Checking ${fileName}: ${plural(done, 'row')} read`, value: null, max: 1 }
    return { label: `Checking ${fileName}…`, value: null, max: 1 }
  }
  const total = rows ?? 0
  if (total === 0) return { label: 'Importing…', value: null, max: 1 }
  if (phase === 'applying') return { label: `Importing: ${count(Math.min(done, total))} of ${plural(total, 'row')} saved`, value: total + Math.min(done, total), max: 2 * total }
  if (phase === 'reading') return { label: `Importing: checking the file again, ${count(Math.min(done, total))} of ${plural(total, 'row')}`, value: Math.min(done, total), max: 2 * total }
  return { label: 'Importing…', value: 0, max: 2 * total }
}

function Progress({ text }: { text: ReturnType<typeof progressText> }) {
  const id = useId()
  return (
    <div className="import-progress">
      <label htmlFor={id}>{text.label}</label>
      {/* Without a value a <progress> shows that work goes on without saying how far. */}
      {text.value === null ? <progress id={id} /> : <progress id={id} max={text.max} value={text.value} />}
    </div>
  )
}

function ColumnHelp() {
  return (
    <>
      <p>
        A CSV file (UTF-8, comma or semicolon separated) whose first line names its columns. New users are created, the others updated; nobody is deleted. An
        empty field leaves a user’s value as it is.
      </p>
      <dl className="import-columns" aria-label="Columns">
        {COLUMN_HELP.map(([column, help]) => (
          <div key={column}>
            <dt>
              <code>{column}</code>
            </dt>
            <dd>{help}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">New users have no password yet: you set one on their details page.</p>
    </>
  )
}

export function ImportUsersDialog(props: ImportUsersDialogProps) {
  const { step, ignoreUnknownColumns, result, progress, error } = props
  const fileName = visibleText(props.fileName ?? 'the file')
  const fileId = useId()
  const hintId = useId()
  // Checking changes nothing: it can be cancelled. An import cannot be stopped halfway.
  const busy = step === 'checking' || step === 'importing'
  let body: ReactNode
  let actions: ReactNode
  if (step === 'choose' || step === 'checking') {
    body = (
      <>
        <ColumnHelp />
        {step === 'checking' ? (
          <Progress text={progressText('checking', fileName, progress, null)} />
        ) : (
          <>
            <div className="field">
              <label htmlFor={fileId}>CSV file</label>
              <input
                id={fileId}
                type="file"
                accept=".csv,text/csv,text/plain"
                data-autofocus
                onChange={(event) => {
                  const file = event.target.files?.[0]
                  if (file) props.onChooseFile(file)
                  event.target.value = ''
                }}
              />
            </div>
            <div>
              <label className="checkbox">
                <input type="checkbox" checked={ignoreUnknownColumns} aria-describedby={hintId} onChange={(event) => props.onIgnoreUnknownColumns(event.target.checked)} />
                Ignore other columns
              </label>
              <p className="field-hint import-checkbox-hint" id={hintId}>
                Otherwise a column not listed above refuses the file.
              </p>
            </div>
          </>
        )}
        <ErrorMessage message={error} />
      </>
    )
    actions = (
      <button type="button" className="button" onClick={props.onClose} {...(step === 'checking' ? { 'data-autofocus': true } : {})}>
        Cancel
      </button>
    )
  } else if (result && (step === 'preview' || step === 'importing')) {
    const refused = result.errorsTotal > 0
    const changed = result.created + result.updated
    let preview: ReactNode
    if (refused) {
      preview = (
        <ImportProblems
          result={result}
          focus={step === 'preview'}
          onIgnoreUnknownColumns={!ignoreUnknownColumns && hasUnknownColumns(result) ? () => props.onIgnoreUnknownColumns(true) : undefined}
        />
      )
    } else if (result.rows === 0) {
      preview = <p className="import-empty">{fileName} names its columns but has no users. Add a line per user under the first line and choose the file again.</p>
    } else if (changed === 0) {
      preview = (
        <>
          <ImportCounts result={result} done={false} />
          <p className="import-empty">Every user in the file is already as the file says: there is nothing to import.</p>
        </>
      )
    } else {
      preview = (
        <>
          <ImportCounts result={result} done={false} />
          <ImportChanges result={result} focus={step === 'preview'} />
          {result.newAdmins > 0 ? (
            <p className="muted small">
              {result.newAdmins === 1 ? 'The file makes one user an administrator' : `The file makes ${count(result.newAdmins)} users administrators`}: you may be asked
              to confirm it’s you before the import.
            </p>
          ) : null}
        </>
      )
    }
    const nothingToDo = refused || changed === 0
    body = (
      <>
        <p className="import-file">
          {fileName} · {plural(result.rows, 'row')}
        </p>
        {preview}
        {step === 'importing' ? <Progress text={progressText('importing', fileName, progress, result.rows)} /> : null}
        <ErrorMessage message={error} />
      </>
    )
    actions = (
      <>
        <button type="button" className="button" onClick={props.onChooseAnother} disabled={busy} {...(nothingToDo && !refused ? { 'data-autofocus': true } : {})}>
          Choose another file
        </button>
        <button type="button" className="button button-primary" onClick={props.onImport} disabled={busy || nothingToDo}>
          {step === 'importing' ? 'Importing…' : nothingToDo ? 'Import' : `Import ${plural(changed, 'user')}`}
        </button>
      </>
    )
  } else {
    body = result ? (
      <>
        <p className="message message-success" role="status">
          {fileName} was imported.
        </p>
        <ImportCounts result={result} done />
        {result.created > 0 ? <p className="muted">New users have no password yet: open a user in the list to set one.</p> : null}
      </>
    ) : null
    actions = (
      <button type="button" className="button button-primary" onClick={props.onClose} data-autofocus>
        Done
      </button>
    )
  }
  // Focus moves with the step; an import keeps it where the preview had it, and an error brings it back.
  const focusKey = `${step === 'importing' ? 'preview' : step}${error ? '-error' : ''}`
  return (
    <Dialog title="Import users" onClose={step === 'importing' ? () => {} : props.onClose} actions={actions} focusKey={focusKey}>
      <div className="import-dialog" aria-busy={busy}>
        {body}
      </div>
    </Dialog>
  )
}
