// What an import does or would do, inside the Import users dialog: the counts,
// the table of changes, or every problem with its line. Pure.
import type { ImportChange, ImportProblem, ImportResult } from '../../../shared/contract/user-import'
import type { Enforcement, Role } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { plural, ROLE_LABEL } from '../lib/format'

type ChangedField = keyof ImportChange['fields']

const FIELD_ORDER: readonly ChangedField[] = ['name', 'role', 'enforcement', 'disabled']
const FIELD_LABEL: Record<ChangedField, string> = { name: 'Name', role: 'Role', enforcement: '2FA', disabled: 'Disabled' }
const ENFORCEMENT_VALUE: Record<Enforcement, string> = { enforced: 'Enforced', exempt: 'Exempt', inherit: 'Follows the policy' }

/** A field's value as the screens name it (Administrator, Enforced), not as the file spells it. */
function fieldValue(field: ChangedField, value: string): string {
  if (field === 'role') return ROLE_LABEL[value as Role] ?? value
  if (field === 'enforcement') return ENFORCEMENT_VALUE[value as Enforcement] ?? value
  return visibleText(value)
}

/** The words of a problem for this screen: its line is in its own column, and the checkbox stands for the command line's flag. */
export function problemText(problem: ImportProblem): string {
  return problem.message.replace(' (--ignore-unknown-columns)', ' (Ignore other columns)')
}

/** Whether the file was refused for columns the import does not know, which the dialog can ignore. */
export function hasUnknownColumns(result: ImportResult): boolean {
  return result.errors.some((problem) => problem.code === 'unknown-columns')
}

export function ImportCounts({ result, done }: { result: ImportResult; done: boolean }) {
  const counts: [number, string][] = done
    ? [
        [result.created, 'created'],
        [result.updated, 'updated'],
        [result.unchanged, 'unchanged']
      ]
    : [
        [result.created, 'to create'],
        [result.updated, 'to update'],
        [result.unchanged, 'unchanged']
      ]
  return (
    <ul className="import-counts" aria-label={done ? 'What the import did' : 'What the import does'}>
      {counts.map(([count, label]) => (
        <li key={label}>
          <strong>{count.toLocaleString('en-US')}</strong> {label}
        </li>
      ))}
    </ul>
  )
}

export function ImportChanges({ result, focus }: { result: ImportResult; focus: boolean }) {
  const changed = result.created + result.updated
  return (
    <>
      <div className="import-scroll" tabIndex={0} role="region" aria-label="Changes" {...(focus ? { 'data-autofocus': true } : {})}>
        <table className="import-table">
          <thead>
            <tr>
              <th scope="col" className="numeric">
                Line
              </th>
              <th scope="col">User</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {result.changes.map((change) => (
              <tr key={change.line}>
                <td className="numeric">{change.line}</td>
                <td>
                  <span className="import-email">{visibleText(change.email)}</span>{' '}
                  <span className={`import-kind import-kind-${change.kind}`}>{change.kind === 'create' ? 'new' : 'update'}</span>
                </td>
                <td>
                  <span className="import-fields">
                    {FIELD_ORDER.filter((field) => change.fields[field] !== undefined).map((field) => {
                      const value = change.fields[field]!
                      return (
                        <span key={field} className="import-field">
                          <span className="muted">{FIELD_LABEL[field]}</span>{' '}
                          {value.from === null ? fieldValue(field, value.to) : `${fieldValue(field, value.from)} → ${fieldValue(field, value.to)}`}
                        </span>
                      )
                    })}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {changed > result.changes.length ? (
        <p className="muted small">
          The first {result.changes.length.toLocaleString('en-US')} of {plural(changed, 'change')} are listed.
        </p>
      ) : null}
    </>
  )
}

export function ImportProblems({ result, focus, onIgnoreUnknownColumns }: { result: ImportResult; focus: boolean; onIgnoreUnknownColumns?: () => void }) {
  const many = result.errorsTotal !== 1
  return (
    <div className="import-problems">
      <div className="message message-error" role="alert">
        <p>
          <strong>Nothing can be imported:</strong> the file has {plural(result.errorsTotal, 'problem')}. Fix {many ? 'them' : 'it'} in the file, save it and
          choose it again. Nothing was changed.
        </p>
        {onIgnoreUnknownColumns ? (
          <p>
            <button type="button" className="button" onClick={onIgnoreUnknownColumns}>
              Ignore other columns and check again
            </button>
          </p>
        ) : null}
      </div>
      <div className="import-scroll" tabIndex={0} role="region" aria-label="Problems" {...(focus ? { 'data-autofocus': true } : {})}>
        <table className="import-table">
          <thead>
            <tr>
              <th scope="col" className="numeric">
                Line
              </th>
              <th scope="col">Email</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((problem, index) => (
              <tr key={`${problem.line}-${index}`}>
                <td className="numeric">{problem.line}</td>
                <td className="import-email">{problem.email === '' ? <span className="muted">—</span> : visibleText(problem.email)}</td>
                <td>{visibleText(problemText(problem))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.errorsTotal > result.errors.length ? (
        <p className="muted small">
          The first {result.errors.length.toLocaleString('en-US')} of {plural(result.errorsTotal, 'problem')} are listed; <code>twofa-admin import users FILE --dry-run</code>{' '}
          lists them all.
        </p>
      ) : null}
    </div>
  )
}
