// Account > Directory sync: the LDAP / Active Directory connection (saved,
// tested), and the sync: a preview, Sync now with its progress, the stop before
// disabling too many users with the way on, and the last sync.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../components/Dialog'
import { DirectoryConnectionForm } from '../components/DirectoryConnectionForm'
import { LastSync, SyncProgress, SyncReport } from '../components/DirectorySyncReport'
import { ErrorMessage, Notice } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { draftChanged, draftFrom, inputFrom, type DirectoryDraft } from '../lib/directory-draft'
import { plural } from '../lib/format'
import { useAppStore } from '../store/context'
import './DirectorySyncScreen.css'

export function DirectorySyncScreen() {
  const { connection, loaded, loading, loadError, status, invalidField, tested, report, progress, formVersion } = useAppStore(
    useShallow((s) => ({
      connection: s.directorySync.connection,
      loaded: s.directorySync.loaded,
      loading: s.directorySync.loading,
      loadError: s.directorySync.loadError,
      status: s.directorySync.status,
      invalidField: s.directorySync.invalidField,
      tested: s.directorySync.tested,
      report: s.directorySync.report,
      progress: s.directorySync.progress,
      formVersion: s.directorySync.formVersion
    }))
  )
  const { open, save, test, preview, sync, dismissReport, forgetTest } = useAppStore((s) => s.directorySync.actions)
  const [settingUp, setSettingUp] = useState(false)
  const [confirming, setConfirming] = useState(false)
  // Only what was typed is held here, until a save goes through (formVersion): every other
  // field shows the connection as last fetched.
  const [edits, setEdits] = useState<{ version: number; fields: Partial<DirectoryDraft> }>({ version: formVersion, fields: {} })

  useEffect(() => {
    void open()
  }, [open])

  const header = (
    <PageHeader
      breadcrumbs="Account"
      title="Directory sync"
      subtitle="Users from LDAP or Active Directory. Users the directory no longer has are disabled, never deleted."
    />
  )
  if (!loaded) {
    return (
      <Page>
        {header}
        <PageState loading={loading} loadingLabel="Loading the directory connection…" error={loadError} action={loadError ? { label: 'Try again', onClick: () => void open() } : undefined} />
      </Page>
    )
  }

  if (connection === null && !settingUp) {
    return (
      <Page>
        {header}
        <section className="card directory-empty" aria-labelledby="directory-empty-heading">
          <h2 id="directory-empty-heading">No directory connection yet</h2>
          <p className="muted">
            Connect an OpenLDAP or Active Directory server to bring its users in. They sign in with their directory password, and their 2FA is managed here like any
            other user&apos;s.
          </p>
          <div>
            <button type="button" className="button button-primary" onClick={() => setSettingUp(true)}>
              Set up a connection
            </button>
          </div>
        </section>
      </Page>
    )
  }

  const fields = edits.version === formVersion ? edits.fields : {}
  const draft: DirectoryDraft = { ...draftFrom(connection), ...fields }
  const changed = draftChanged(draft, connection)
  const edit = (more: Partial<DirectoryDraft>) => {
    setEdits({ version: formVersion, fields: { ...fields, ...more } })
    forgetTest()
  }
  const syncing = status.preview.pending || status.sync.pending
  const wouldDisable = report?.massDisable?.wouldDisable ?? 0

  return (
    <Page className="directory-page">
      {header}
      <section className="card" aria-labelledby="connection-heading">
        <h2 id="connection-heading">Connection</h2>
        <DirectoryConnectionForm
          // Opened from the empty state: the keyboard starts in the form.
          autoFocus={settingUp && connection === null}
          draft={draft}
          onEdit={edit}
          stored={connection !== null}
          changed={changed}
          hasBindPassword={connection?.hasBindPassword ?? false}
          invalidField={invalidField}
          save={status.save}
          test={status.test}
          tested={tested}
          onSave={() => void save(inputFrom(draft))}
          onTest={() => void test(inputFrom(draft))}
        />
      </section>

      {connection ? (
        <section className="card" aria-labelledby="sync-heading">
          <h2 id="sync-heading">Sync</h2>
          <p className="muted">
            New people in the directory are created, changed names and emails updated. Users it no longer has are disabled, and enabled again when they come back.
            {connection.scheduleMinutes !== null ? ` Runs by itself every ${plural(connection.scheduleMinutes, 'minute')} while the app is open.` : ''}
          </p>
          <LastSync connection={connection} />
          {changed ? <Notice message="The form has changes that are not saved: Preview sync and Sync now use the saved connection." /> : null}
          <div className="button-row">
            <button type="button" className="button" disabled={syncing} onClick={() => void preview()}>
              Preview sync
            </button>
            <button type="button" className="button button-primary" disabled={syncing} onClick={() => void sync()}>
              Sync now
            </button>
          </div>
          {progress ? <SyncProgress progress={progress} dryRun={status.preview.pending} /> : null}
          <ErrorMessage message={status.preview.error ?? status.sync.error} />
          {report ? <SyncReport result={report} busy={syncing} onDismiss={dismissReport} onSyncAnyway={() => setConfirming(true)} /> : null}
        </section>
      ) : null}

      {confirming && report?.massDisable ? (
        <ConfirmDialog
          title={`Disable ${plural(wouldDisable, 'user')}?`}
          confirmLabel={`Disable ${plural(wouldDisable, 'user')}`}
          tone="danger"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            void sync(true)
          }}
        >
          <p>
            The sync disables {plural(wouldDisable, 'user')} the directory no longer has: they can no longer sign in. Their accounts and 2FA stay, and they are enabled
            again when the directory has them again.
          </p>
          <p className="muted">If the directory answered wrongly (a wrong filter or base DN), fix the connection instead.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  )
}
