// Export from the Users and Audit log screens, in the store over a fake
// window.api: the export takes the list's filter and search as they are, asks
// how far it got until it ends, hands a preview's file to the browser, and a
// cancelled dialog leaves nothing to say. And what the screen shows meanwhile.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import type { ExportAuditInput, ExportJob, ExportUsersInput } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/errors'
import { ExportButton, ExportProgress } from '../../../src/renderer/src/components/ExportControl'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { EXPORT_POLL_MS, IDLE_EXPORT } from '../../../src/renderer/src/store/slices/exports'
import { fakeApi } from './support/fake-api'

const job = (state: ExportJob['state'], patch: Partial<ExportJob> = {}): ExportJob => ({
  exportId: state === 'cancelled' ? null : 'A'.repeat(32),
  kind: 'users',
  state,
  done: 0,
  total: 0,
  file: state === 'cancelled' ? null : '/home/ada/Documents/users.csv',
  download: null,
  error: null,
  ...patch
})
const ok = (value: ExportJob): Result<ExportJob> => ({ ok: true, value })
const settle = () => new Promise((resolve) => setTimeout(resolve, EXPORT_POLL_MS + 50))

/** A fresh store over the fake API, an administrator signed in. */
function signedInStore(...args: Parameters<typeof createAppStore>) {
  const store = createAppStore(...args)
  store.setState((state) => ({ session: { ...state.session, phase: 'signed-in' } }))
  return store
}

describe('the exports slice', () => {
  it('exports the Users list with its status filter and search, and follows the export to its end', async () => {
    const exportUsers = vi.fn(async (_input: ExportUsersInput) => ok(job('running', { done: 0, total: 40 })))
    const answers = [job('running', { done: 20, total: 40 }), job('done', { done: 40, total: 40 })]
    const getExport = vi.fn(async () => ok(answers.shift() as ExportJob))
    const download = vi.fn()
    const store = signedInStore(fakeApi({ exportUsers, getExport }), { download })
    store.setState((state) => ({ users: { ...state.users, query: '  maria ', status: 'pending' } }))
    await store.getState().exports.actions.exportUsers('csv')
    expect(exportUsers).toHaveBeenCalledWith({ format: 'csv', status: 'pending', query: 'maria' })
    expect(store.getState().exports.users).toMatchObject({ phase: 'running', done: 0, total: 40 })
    // A second click while it runs starts nothing.
    await store.getState().exports.actions.exportUsers('json')
    expect(exportUsers).toHaveBeenCalledTimes(1)
    await settle()
    expect(store.getState().exports.users).toMatchObject({ phase: 'running', done: 20, total: 40 })
    await settle()
    expect(store.getState().exports.users).toEqual({ phase: 'done', done: 40, total: 40, file: '/home/ada/Documents/users.csv', downloaded: false, error: null })
    expect(getExport).toHaveBeenCalledTimes(2)
    // The desktop saved it itself: nothing for the browser to download.
    expect(download).not.toHaveBeenCalled()
    expect(store.getState().exports.audit).toEqual(IDLE_EXPORT)
  })

  it('exports the audit log with its applied filter, and hands a preview file to the browser', async () => {
    const exportAudit = vi.fn(async (_input: ExportAuditInput) => ok(job('done', { kind: 'audit', done: 3, total: 3, file: '2FA Admin audit log.csv', download: '/downloads/x' })))
    const download = vi.fn()
    const store = signedInStore(fakeApi({ exportAudit }), { download })
    store.setState((state) => ({ audit: { ...state.audit, user: 'maria@example.com', action: 'user.updated' } }))
    await store.getState().exports.actions.exportAudit('jsonl')
    expect(exportAudit).toHaveBeenCalledWith({ format: 'jsonl', user: 'maria@example.com', action: 'user.updated' })
    expect(download).toHaveBeenCalledWith('/downloads/x')
    expect(store.getState().exports.audit).toMatchObject({ phase: 'done', downloaded: true, file: '2FA Admin audit log.csv' })
  })

  it('says nothing after a cancelled save dialog, and the app’s sentence after a failure', async () => {
    const answers: Result<ExportJob>[] = [
      ok(job('cancelled')),
      { ok: false, error: { code: 'FORBIDDEN', message: 'Only administrators can do this.' } },
      ok(job('failed', { error: 'The disk is full: the export was not saved. Free some disk space and export again.' }))
    ]
    const store = signedInStore(fakeApi({ exportUsers: async () => answers.shift() as Result<ExportJob> }))
    const { exportUsers } = store.getState().exports.actions
    await exportUsers('csv')
    expect(store.getState().exports.users).toEqual(IDLE_EXPORT)
    await exportUsers('csv')
    expect(store.getState().exports.users).toMatchObject({ phase: 'failed', error: 'Only administrators can do this.' })
    await exportUsers('csv')
    expect(store.getState().exports.users).toMatchObject({ phase: 'failed', error: expect.stringMatching(/^The disk is full/) })
  })

  it('forgets the exports shown at sign-out, and drops what the app still answers about them', async () => {
    const getExport = vi.fn(async () => ok(job('done', { done: 5, total: 5 })))
    const store = signedInStore(fakeApi({ exportUsers: async () => ok(job('running', { total: 5 })), getExport }))
    await store.getState().exports.actions.exportUsers('csv')
    expect(store.getState().exports.users.phase).toBe('running')
    store.setState((state) => ({ session: { ...state.session, phase: 'login' } }))
    expect(store.getState().exports.users).toEqual(IDLE_EXPORT)
    await settle()
    expect(getExport).toHaveBeenCalledTimes(1)
    expect(store.getState().exports.users).toEqual(IDLE_EXPORT)
  })
})

describe('the Export button and the progress line', () => {
  const formats = [
    { value: 'csv', label: 'CSV' },
    { value: 'json', label: 'JSON' }
  ] as const

  it('offers the formats, and is disabled while an export runs', () => {
    const idle = renderToStaticMarkup(<ExportButton formats={formats} status={IDLE_EXPORT} onExport={() => {}} description="every user" />)
    expect(idle).toMatch(/<option value="csv"[^>]*>CSV<\/option><option value="json">JSON<\/option>/)
    expect(idle).toMatch(/<button type="button" class="button" title="Export every user to a file">Export<\/button>/)
    const busy = renderToStaticMarkup(<ExportButton formats={formats} status={{ ...IDLE_EXPORT, phase: 'running' }} onExport={() => {}} description="every user" />)
    expect(busy).toMatch(/<button[^>]*disabled=""[^>]*>Export<\/button>/)
  })

  it('shows how far the export got, where the file went, or why it failed', () => {
    const text = (status: Partial<typeof IDLE_EXPORT>) => renderToStaticMarkup(<ExportProgress status={{ ...IDLE_EXPORT, ...status }} noun={['user', 'users']} />)
    expect(text({})).toBe('')
    expect(text({ phase: 'starting' })).toContain('Starting the export…')
    expect(text({ phase: 'running', done: 12_500, total: 40_000 })).toMatch(/Exporting 12,500 of 40,000 users….*<progress aria-label="Export of users" max="40000" value="12500">/)
    expect(text({ phase: 'running' })).toContain('Exporting users…')
    expect(text({ phase: 'done', done: 1, total: 1, file: '/home/ada/users.csv' })).toContain('Exported 1 user to /home/ada/users.csv.')
    expect(text({ phase: 'done', done: 2, total: 2, file: 'users.csv', downloaded: true })).toContain('Exported 2 users: your browser saves it as users.csv.')
    expect(text({ phase: 'failed', error: 'Nothing was saved.' })).toMatch(/role="alert">The export failed. Nothing was saved.</)
  })
})
