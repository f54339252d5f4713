// Audit log: newest first, filtered by user and action, under the state of its chain.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { AUDIT_ACTIONS, type AuditAction } from '../../../shared/domain'
import { AuditChainStatus } from '../components/AuditChainStatus'
import { AuditTable } from '../components/AuditTable'
import { ExportButton, ExportProgress } from '../components/ExportControl'
import { ErrorMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { AUDIT_ACTION_LABEL } from '../lib/format'
import { useAppStore } from '../store/context'
import '../styles/lists.css'

// JSON Lines keeps each field exactly as chained: an auditor can check the links offline.
const AUDIT_EXPORT_FORMAT_OPTIONS = [
  { value: 'csv', label: 'CSV' },
  { value: 'jsonl', label: 'JSON Lines' }
] as const

export function AuditScreen() {
  const {
    entries,
    chain,
    nextCursor,
    loading,
    loadingMore,
    error,
    user: appliedUser,
    action: appliedAction,
    verify
  } = useAppStore(
    useShallow((s) => ({
      entries: s.audit.entries,
      chain: s.audit.chain,
      nextCursor: s.audit.nextCursor,
      loading: s.audit.loading,
      loadingMore: s.audit.loadingMore,
      error: s.audit.error,
      user: s.audit.user,
      action: s.audit.action,
      verify: s.audit.verify
    }))
  )
  const { open, close, applyFilter, loadMore, verifyWholeLog } = useAppStore((s) => s.audit.actions)
  const [user, setUser] = useState(appliedUser)
  // A filter applied from elsewhere (Back, Forward, an address: store/route-sync.ts) shows in the field
  // (state adjusted while rendering, as React advises, rather than in an effect).
  const [shownFilter, setShownFilter] = useState(appliedUser)
  if (shownFilter !== appliedUser) {
    setShownFilter(appliedUser)
    setUser(appliedUser)
  }
  const exportStatus = useAppStore((s) => s.exports.audit)
  const { exportAudit } = useAppStore((s) => s.exports.actions)

  useEffect(() => {
    void open()
    return close
  }, [open, close])

  const filtered = appliedUser.trim() !== '' || appliedAction !== null
  return (
    <Page>
      <PageHeader
        title="Audit log"
        subtitle="Every sign-in and every change, newest first. Each entry is chained to the one before, so changes to the log show."
        actions={
          <ExportButton
            formats={AUDIT_EXPORT_FORMAT_OPTIONS}
            status={exportStatus}
            onExport={(format) => void exportAudit(format)}
            description={filtered ? 'the entries that match the filter, oldest first, with their chain links' : 'every entry, oldest first, with its chain link'}
          />
        }
      />

      <ExportProgress status={exportStatus} noun={['entry', 'entries']} />

      {chain ? <AuditChainStatus chain={chain} verify={verify} onVerify={() => void verifyWholeLog()} /> : null}

      <form
        className="toolbar"
        role="search"
        onSubmit={(event) => {
          event.preventDefault()
          void applyFilter({ user, action: appliedAction })
        }}
      >
        <div className="field field-search">
          <label htmlFor="audit-user">User (email)</label>
          <input id="audit-user" type="search" value={user} onChange={(event) => setUser(event.target.value)} placeholder="name@example.com" autoComplete="off" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select
            id="audit-action"
            value={appliedAction ?? ''}
            onChange={(event) => void applyFilter({ user, action: event.target.value === '' ? null : (event.target.value as AuditAction) })}
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {AUDIT_ACTION_LABEL[action]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button toolbar-button">
          Filter
        </button>
        {filtered ? (
          <button
            type="button"
            className="button toolbar-button"
            onClick={() => {
              setUser('')
              void applyFilter({ user: '', action: null })
            }}
          >
            Clear
          </button>
        ) : null}
      </form>

      <ErrorMessage message={error} />

      <div className="table-card">
        <AuditTable
          entries={entries}
          emptyState={<PageState loading={loading} loadingLabel="Loading the audit log…" empty={filtered ? 'No entries match these filters.' : 'The audit log is empty.'} />}
        />
        {nextCursor !== null && entries.length > 0 ? (
          <div className="table-footer">
            <span className="muted">Showing the newest {entries.length} entries</span>
            <button type="button" className="button" onClick={() => void loadMore()} disabled={loadingMore}>
              Load more
            </button>
          </div>
        ) : null}
      </div>
    </Page>
  )
}
