// Account > Users.
import { useCallback, useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { TWO_FACTOR_FILTERS, type TwoFactorFilter, type TwoFactorStatus } from '../../../shared/domain'
import { STATUS_LABEL } from '../../../shared/labels'
import { AddUserDialog } from '../components/AddUserDialog'
import { ExportButton, ExportProgress } from '../components/ExportControl'
import { ErrorMessage, SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { UsersTable } from '../components/UsersTable'
import { plural } from '../lib/format'
import { rowAt } from '../lib/virtual-rows'
import { useAppStore } from '../store/context'
import { ImportUsers } from './ImportUsers'
import '../styles/lists.css'
import './UsersScreen.css'

/** The overdue part of the pending users: "Enforced, activation pending" past the deadline. */
const OVERDUE_FILTER_LABEL = 'Pending, overdue'

const USER_EXPORT_FORMAT_OPTIONS = [
  { value: 'csv', label: 'CSV' },
  { value: 'json', label: 'JSON' }
] as const

export function UsersScreen({ initialStatus }: { initialStatus?: TwoFactorStatus }) {
  const { blocks, total, totalCapped, query, status, groupId, groups, sort, direction, loading, listVersion, loaded, error, create } = useAppStore(
    useShallow((s) => ({
      blocks: s.users.blocks,
      total: s.users.total,
      totalCapped: s.users.totalCapped,
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
  const { open, close, setQuery, setStatus, setGroup, sortBy, clearFilters, showRows, createUser, resetCreate } = useAppStore((s) => s.users.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const exportStatus = useAppStore((s) => s.exports.users)
  const { exportUsers } = useAppStore((s) => s.exports.actions)
  const [adding, setAdding] = useState(false)
  const [importing, setImporting] = useState(false)

  useEffect(() => {
    void open(initialStatus)
    // The rows are not kept while another screen shows: up to 2,000 rows of memory, and stale by the time one comes back.
    return () => close()
  }, [open, close, initialStatus])

  const filtered = query.trim() !== '' || status !== null || groupId !== null
  const userAt = useCallback((index: number) => rowAt(blocks, index), [blocks])
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
          {loaded ? (totalCapped ? `More than ${total.toLocaleString('en-US')} users match: type more to narrow the search` : `${plural(total, 'user')}${filtered ? ' match' : ''}`) : ''}
        </p>
      </div>

      <ErrorMessage message={error} />

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
        totalLabel={totalCapped ? `${total.toLocaleString('en-US')}+ users` : plural(total, 'user')}
        busy={loading}
      />

      {importing ? <ImportUsers onClose={() => setImporting(false)} /> : null}

      {adding ? (
        <AddUserDialog
          pending={create.pending}
          error={create.error}
          onCancel={() => setAdding(false)}
          onSubmit={(input) =>
            void createUser(input).then((user) => {
              if (user) setAdding(false)
            })
          }
        />
      ) : null}
    </Page>
  )
}
