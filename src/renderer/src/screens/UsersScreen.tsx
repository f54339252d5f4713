// Account > Users.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { TWO_FACTOR_FILTERS, type TwoFactorFilter, type TwoFactorStatus } from '../../../shared/domain'
import { STATUS_LABEL } from '../../../shared/labels'
import { AddUserDialog } from '../components/AddUserDialog'
import { GeneratedPasswordDialog } from '../components/GeneratedPasswordDialog'
import { ExportButton, ExportProgress } from '../components/ExportControl'
import { ErrorMessage, SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { ColumnsMenu } from '../components/ColumnsMenu'
import { UserFilters } from '../components/UserFilters'
import { extraColumnsOf } from '../components/user-columns'
import { UsersTable } from '../components/UsersTable'
import { plural } from '../lib/format'
import { rowAt } from '../lib/virtual-rows'
import { useAppStore } from '../store/context'
import { isFiltered } from '../store/slices/users'
import { ImportUsers } from './ImportUsers'
import { UsersSelectionBar, useUsersTableSelection } from './UsersSelection'
import '../styles/lists.css'
import './UsersScreen.css'

/** The overdue part of the pending users: "Enforced, activation pending" past the deadline. */
const OVERDUE_FILTER_LABEL = 'Pending, overdue'

const USER_EXPORT_FORMAT_OPTIONS = [
  { value: 'csv', label: 'CSV' },
  { value: 'json', label: 'JSON' }
] as const

export function UsersScreen({ initialStatus }: { initialStatus?: TwoFactorStatus }) {
  const { blocks, total, counted, countPending, countError, query, status, groupId, groups, sort, direction, loading, listVersion, loaded, error, create } = useAppStore(
    useShallow((s) => ({
      blocks: s.users.blocks,
      total: s.users.total,
      counted: s.users.counted,
      countPending: s.users.countPending,
      countError: s.users.countError,
      query: s.users.query,
      status: s.users.status,
      groupId: s.users.groupId,
      groups: s.users.groups,
      sort: s.users.sort,
      direction: s.users.direction,
      loading: s.users.loading,
      listVersion: s.users.listVersion,
      loaded: s.users.loaded,
      error: s.users.error,
      create: s.users.create
    }))
  )
  const extraFilters = useAppStore(
    useShallow((s) => ({
      role: s.users.role,
      locked: s.users.locked,
      disabled: s.users.disabled,
      enforcementSource: s.users.enforcementSource,
      source: s.users.source,
      fewRecoveryCodes: s.users.fewRecoveryCodes
    }))
  )
  const columns = useAppStore((s) => s.users.columns)
  const extraColumns = useMemo(() => extraColumnsOf(columns), [columns])
  const { open, close, setQuery, setStatus, setGroup, setFilters, setColumns, sortBy, clearFilters, showRows, retryCount, createUser, resetCreate } = useAppStore((s) => s.users.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const exportStatus = useAppStore((s) => s.exports.users)
  const { exportUsers } = useAppStore((s) => s.exports.actions)
  const [adding, setAdding] = useState(false)
  const [importing, setImporting] = useState(false)
  // A password the app generated for the user just added: shown once, then gone.
  const [generated, setGenerated] = useState<{ name: string; email: string; password: string } | null>(null)
  // Add user's "Enforce 2FA activation" says when the policy enforces already.
  const enforcedForAll = useAppStore((s) => s.security.overview?.enforcedForAll ?? null)
  const { load: loadSecurity } = useAppStore((s) => s.security.actions)

  useEffect(() => {
    void open(initialStatus)
    // The rows are not kept while another screen shows: up to 2,000 rows of memory, and stale by the time one comes back.
    return () => close()
  }, [open, close, initialStatus])

  const filtered = isFiltered({ query, status, groupId, sort, direction, ...extraFilters })
  // Only the count of the list as now filtered: never the previous list's while the new one is counted.
  // A search of many matches shows its rows at once and its number when the count comes (countUsers).
  const exact = loaded && counted && !countPending && countError === null
  const countText = !loaded || countError !== null ? '' : !exact ? 'Counting…' : `${plural(total, 'user')}${filtered ? ' match' : ''}`
  const userAt = useCallback((index: number) => rowAt(blocks, index), [blocks])
  const selection = useUsersTableSelection(userAt)
  const onShowRows = useCallback((first: number, end: number) => void showRows(first, end), [showRows])
  const emptyState = (
    <PageState
      loading={loading || !loaded}
      loadingLabel="Loading users…"
      empty={filtered ? 'No users match these filters.' : 'There are no users yet.'}
      action={filtered ? { label: 'Clear filters', onClick: () => void clearFilters() } : undefined}
    />
  )

  return (
    <Page className="page-users">
      <PageHeader
        breadcrumbs="Account"
        title="Users"
        actions={
          <div className="button-row">
            <ExportButton
              formats={USER_EXPORT_FORMAT_OPTIONS}
              status={exportStatus}
              onExport={(format) => void exportUsers(format)}
              description={filtered ? 'the users that match the search and filter' : 'every user'}
            />
            <button type="button" className="button" onClick={() => setImporting(true)}>
              Import users
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                resetCreate()
                void loadSecurity()
                setAdding(true)
              }}
            >
              Add user
            </button>
          </div>
        }
      />

      <ExportProgress status={exportStatus} noun={['user', 'users']} />

      <SuccessMessage message={create.success} />

      <div className="toolbar" role="search">
        <div className="field field-search">
          <label htmlFor="users-search">Search</label>
          <input
            id="users-search"
            type="search"
            placeholder="Name or email"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor="users-status">2FA status</label>
          <select
            id="users-status"
            value={status ?? ''}
            onChange={(event) => void setStatus(event.target.value === '' ? null : (event.target.value as TwoFactorFilter))}
          >
            <option value="">All</option>
            {TWO_FACTOR_FILTERS.map((value) => (
              <option key={value} value={value}>
                {value === 'overdue' ? OVERDUE_FILTER_LABEL : STATUS_LABEL[value]}
              </option>
            ))}
          </select>
        </div>
        {groups.length > 0 || groupId !== null ? (
          <div className="field">
            <label htmlFor="users-group">Group</label>
            <select id="users-group" value={groupId ?? ''} onChange={(event) => void setGroup(event.target.value === '' ? null : Number(event.target.value))}>
              <option value="">All</option>
              {groups.map((group) => (
                <option key={group.id} value={group.id}>
                  {group.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <p className="toolbar-count" aria-live="polite">
          {countText}
          {countError !== null ? (
            <>
              <span className="error-text">Could not count the matching users: {countError}</span>{' '}
              <button type="button" className="link-button" onClick={() => void retryCount()}>
                Count again
              </button>
            </>
          ) : null}
        </p>
        <ColumnsMenu shown={columns} onChange={(shown) => void setColumns(shown)} />
      </div>
      <UserFilters values={extraFilters} onChange={(change) => void setFilters(change)} />

      <ErrorMessage message={error} />

      <UsersSelectionBar listVersion={listVersion} filtered={filtered} matchingLabel={exact && total > 0 ? total.toLocaleString('en-US') : null} />

      <UsersTable
        rowCount={loaded ? total : 0}
        rowAt={userAt}
        sort={sort}
        direction={direction}
        onSort={(key) => void sortBy(key)}
        onOpenUser={(userId) => navigate({ name: 'user-details', userId })}
        onShowRows={onShowRows}
        resetKey={listVersion}
        emptyState={emptyState}
        totalLabel={!exact ? null : plural(total, 'user')}
        busy={loading}
        selection={selection}
        extraColumns={extraColumns}
      />

      {importing ? <ImportUsers onClose={() => setImporting(false)} /> : null}

      {adding ? (
        <AddUserDialog
          pending={create.pending}
          error={create.error}
          errorField={create.field ?? null}
          enforcedForAll={enforcedForAll}
          onCancel={() => setAdding(false)}
          onSubmit={(input) =>
            void createUser(input).then((user) => {
              if (!user) return
              setAdding(false)
              if (user.generatedPassword !== undefined) setGenerated({ name: user.name, email: user.email, password: user.generatedPassword })
            })
          }
        />
      ) : null}

      {generated ? <GeneratedPasswordDialog title="User added" kind="initial" user={generated} password={generated.password} onDone={() => setGenerated(null)} /> : null}
    </Page>
  )
}
