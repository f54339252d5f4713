// Account > Directory sync: what a sync did or would do (the counts, the
// changes, what it did to the groups brought in, the entries it could not
// use), the stop before disabling too many users, how far a running sync got,
// and the last sync. Pure.
import { useEffect, useRef } from 'react'
import type {
  DirectoryConnectionView,
  DirectorySyncChange,
  DirectorySyncCounts,
  DirectorySyncGroupChange,
  DirectorySyncProgress,
  DirectorySyncResult
} from '../../../shared/contract/directory-sync'
import { visibleText } from '../../../shared/text'
import { formatDateTime, plural } from '../lib/format'
import './DirectorySync.css'

const KIND_LABEL: Record<DirectorySyncChange['kind'], string> = { create: 'new', update: 'update', disable: 'disable', reenable: 're-enable' }

type UserCount = 'created' | 'updated' | 'disabled' | 'reenabled' | 'unchanged'
type GroupCount = 'groupsCreated' | 'membersAdded' | 'membersRemoved'

const COUNT_WORDS: Record<UserCount, [done: string, planned: string]> = {
  created: ['created', 'to create'],
  updated: ['updated', 'to update'],
  disabled: ['disabled', 'to disable'],
  reenabled: ['re-enabled', 'to re-enable'],
  unchanged: ['unchanged', 'unchanged']
}

const GROUP_COUNT_WORDS: Record<GroupCount, [noun: string, done: string, planned: string]> = {
  groupsCreated: ['group', 'created', 'to create'],
  membersAdded: ['member', 'added', 'to add'],
  membersRemoved: ['member', 'removed', 'to remove']
}

export function SyncCounts({ counts, done, label, groups = false }: { counts: DirectorySyncCounts; done: boolean; label: string; groups?: boolean }) {
  return (
    <>
      <ul className="sync-counts" aria-label={label}>
        {(Object.keys(COUNT_WORDS) as UserCount[]).map((key) => (
          <li key={key} className={key === 'disabled' && counts.disabled > 0 ? 'sync-count-disabled' : undefined}>
            <strong>{counts[key].toLocaleString('en-US')}</strong> {COUNT_WORDS[key][done ? 0 : 1]}
          </li>
        ))}
      </ul>
      {groups ? (
        <ul className="sync-counts" aria-label={`${label}: groups`}>
          {(Object.keys(GROUP_COUNT_WORDS) as GroupCount[]).map((key) => {
            const [noun, did, planned] = GROUP_COUNT_WORDS[key]
            return (
              <li key={key}>
                <strong>{counts[key].toLocaleString('en-US')}</strong> {counts[key] === 1 ? noun : `${noun}s`} {done ? did : planned}
              </li>
            )
          })}
        </ul>
      ) : null}
    </>
  )
}

export function LastSync({ connection }: { connection: DirectoryConnectionView }) {
  if (connection.lastSyncAt === null || connection.lastSync === null) return <p className="muted">Not synced yet.</p>
  return (
    <div className="last-sync">
      <p>
        Last sync: <strong>{formatDateTime(connection.lastSyncAt)}</strong>
      </p>
      <SyncCounts counts={connection.lastSync} done label="What the last sync did" groups={connection.syncGroupDns.length > 0} />
    </div>
  )
}

export function SyncProgress({ progress, dryRun }: { progress: DirectorySyncProgress; dryRun: boolean }) {
  const applying = progress.phase === 'applying' && progress.total > 0
  const label = applying
    ? `${dryRun ? 'Comparing' : 'Applying'}: ${progress.done.toLocaleString('en-US')} of ${plural(progress.total, 'entry', 'entries')}…`
    : progress.done > 0
      ? `Reading the directory: ${plural(progress.done, 'entry', 'entries')} so far…`
      : 'Reading the directory…'
  return (
    <div className="sync-progress" role="status">
      <span>{label}</span>
      <progress aria-label={dryRun ? 'Preview of the sync' : 'Directory sync'} max={applying ? progress.total : undefined} value={applying ? progress.done : undefined} />
    </div>
  )
}

function ChangesTable({ result }: { result: DirectorySyncResult }) {
  const total = result.created + result.updated + result.disabled + result.reenabled
  if (result.changes.length === 0) return <p className="muted">No user changes.</p>
  return (
    <>
      <div className="sync-scroll" tabIndex={0} role="region" aria-label="Changes">
        <table className="sync-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {result.changes.map((change, index) => (
              <tr key={`${change.email}-${index}`}>
                <td>
                  <span className="sync-email">{visibleText(change.email)}</span>
                  <span className={`sync-kind sync-kind-${change.kind}`}>{KIND_LABEL[change.kind]}</span>
                </td>
                <td className="sync-detail">{visibleText(change.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > result.changes.length ? (
        <p className="muted small">
          The first {result.changes.length.toLocaleString('en-US')} of {plural(total, 'change')} are listed.
        </p>
      ) : null}
    </>
  )
}

/** What happened to one group, in words: "3 added, 1 removed", or why nothing was done. */
function groupChangeWords(group: DirectorySyncGroupChange, done: boolean): string {
  if (group.notInDirectory) {
    const left = group.name === null ? 'no group made' : 'left as it is'
    return `Not in the directory, or the bind account cannot see it: ${left}. Check the DN.`
  }
  const words = [`${group.added.toLocaleString('en-US')} ${done ? 'added' : 'to add'}`, `${group.removed.toLocaleString('en-US')} ${done ? 'removed' : 'to remove'}`]
  return group.added + group.removed === 0 ? 'No change' : words.join(', ')
}

function GroupsTable({ result }: { result: DirectorySyncResult }) {
  const done = result.applied
  return (
    <div className="sync-scroll" tabIndex={0} role="region" aria-label="Groups">
      <table className="sync-table sync-groups">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Members</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {result.groups.map((group) => (
            <tr key={group.dn} className={group.notInDirectory ? 'sync-group-missing' : undefined}>
              <td>
                <span className="sync-group-name">{group.name === null ? <span className="muted">No group</span> : visibleText(group.name)}</span>
                {group.created ? <span className="sync-kind sync-kind-create">new</span> : null}
                <span className="sync-dn sync-group-dn">
                  <DnText dn={group.dn} />
                </span>
              </td>
              <td className="sync-number">{group.notInDirectory && group.name === null ? '–' : group.members.toLocaleString('en-US')}</td>
              <td className="sync-detail">{groupChangeWords(group, done)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A DN that wraps after its commas rather than inside a name. */
function DnText({ dn }: { dn: string }) {
  const parts = visibleText(dn).split(',')
  return (
    <>
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 ? (
            <>
              ,<wbr />
            </>
          ) : null}
        </span>
      ))}
    </>
  )
}

function ProblemsTable({ result }: { result: DirectorySyncResult }) {
  return (
    <div className="sync-problems">
      <p className="message message-warning">
        {plural(result.errors.length, 'entry', 'entries')} of the directory {result.errors.length === 1 ? 'was' : 'were'} left out: {result.errors.length === 1 ? 'it' : 'they'}{' '}
        cannot be used as {result.errors.length === 1 ? 'it is' : 'they are'}. Fix {result.errors.length === 1 ? 'it' : 'them'} in the directory; the other users sync as usual.
      </p>
      <div className="sync-scroll" tabIndex={0} role="region" aria-label="Problems">
        <table className="sync-table">
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((problem, index) => (
              <tr key={`${problem.dn}-${index}`}>
                <td className="sync-dn">
                  <DnText dn={problem.dn} />
                </td>
                <td>{visibleText(problem.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

interface SyncReportProps {
  result: DirectorySyncResult
  /** Starts the sync that disables the users the stop counted (after a confirmation). */
  onSyncAnyway: () => void
  onDismiss: () => void
  /** A sync is under way: nothing else starts. */
  busy: boolean
}

export function SyncReport({ result, onSyncAnyway, onDismiss, busy }: SyncReportProps) {
  const stop = result.massDisable
  const done = result.applied
  const title = stop ? (result.dryRun ? 'A sync would stop before disabling users' : 'The sync stopped before disabling users') : done ? 'Sync done' : 'Preview of the sync'
  const heading = useRef<HTMLHeadingElement>(null)
  // The button that started it was disabled while it ran: the keyboard goes on from the outcome.
  useEffect(() => {
    heading.current?.focus()
  }, [result])
  return (
    <section className={stop ? 'sync-report sync-report-stopped' : 'sync-report'} aria-labelledby="sync-report-heading">
      <h3 id="sync-report-heading" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {stop ? (
        <div className="message message-error sync-stop" role="alert">
          <p>
            <strong>
              {result.dryRun ? 'It would disable' : 'It would have disabled'} {plural(stop.wouldDisable, 'user')} of the {plural(stop.synced, 'user')} synced from the directory
            </strong>
            , more than the limit of {stop.limitPercent}%. {result.dryRun ? 'A sync now stops here.' : 'Nothing was changed.'}
          </p>
          <p>A wrong filter, a moved base DN or an empty answer looks as if everyone left. Check the users below before you go on.</p>
          <p>
            <button type="button" className="button button-danger-outline" onClick={onSyncAnyway} disabled={busy}>
              Sync anyway (disable {plural(stop.wouldDisable, 'user')})
            </button>
          </p>
        </div>
      ) : (
        <p className="muted">
          {done ? 'Read' : 'Reads'} {plural(result.entries, 'entry', 'entries')} from the directory. {done ? '' : 'Nothing was changed yet: Sync now applies it.'}
        </p>
      )}
      <SyncCounts counts={result} done={done} label={done ? 'What the sync did' : 'What the sync does'} groups={result.groups.length > 0} />
      {result.errors.length > 0 ? <ProblemsTable result={result} /> : null}
      {result.groups.length > 0 ? <GroupsTable result={result} /> : null}
      <ChangesTable result={result} />
      <div>
        <button type="button" className="button" onClick={onDismiss} disabled={busy}>
          Close
        </button>
      </div>
    </section>
  )
}
