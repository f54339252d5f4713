// The desktop app's export destination: Electron's save dialog (a fake here,
// as for the File menu's backups) over a real directory and the background
// worker. What the dialog offers, a cancel that changes nothing, and a file
// that appears where the person said, only once complete.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import type { SaveDialogOptions } from 'electron'
import { saveDialogDestination } from '../../../src/main/electron/export-dialog'
import { waitForExport } from '../helpers/exports'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let documents: string
let admin: Screen
let answer: { canceled: boolean; filePath?: string }
const showSaveDialog = vi.fn(async (_options: SaveDialogOptions) => answer)

beforeEach(async () => {
  documents = mkdtempSync(join(tmpdir(), 'twofa-documents-'))
  showSaveDialog.mockClear()
  answer = { canceled: true }
  env = new TestEnv({ exportDestination: saveDialogDestination({ dialogs: { showSaveDialog }, documentsDir: documents }) })
  admin = (await setUpAdmin(env)).screen
})
afterEach(() => {
  env.dispose()
  rmSync(documents, { recursive: true, force: true })
})

describe('Export… in the desktop app', () => {
  it('asks with a save dialog in Documents, with a name and a filter for the format', async () => {
    await admin.ok('exportUsers', { format: 'json', status: 'active' })
    await admin.ok('exportAudit', { format: 'jsonl' })
    expect(showSaveDialog.mock.calls.map(([options]) => options)).toEqual([
      {
        title: 'Export Users',
        defaultPath: join(documents, '2FA Admin users active 2026-11-27.json'),
        buttonLabel: 'Export',
        filters: [{ name: 'JSON', extensions: ['json'] }, { name: 'All files', extensions: ['*'] }],
        properties: ['showOverwriteConfirmation', 'createDirectory']
      },
      expect.objectContaining({ title: 'Export Audit Log', defaultPath: join(documents, '2FA Admin audit log 2026-11-27.jsonl'), filters: [{ name: 'JSON Lines', extensions: ['jsonl'] }, { name: 'All files', extensions: ['*'] }] })
    ])
  })

  it('changes nothing when the dialog is cancelled: no file, no audit entry', async () => {
    const entries = (await admin.ok('getAuditChainStatus')).entries
    expect(await admin.ok('exportUsers', { format: 'csv' })).toMatchObject({ state: 'cancelled', exportId: null })
    expect(readdirSync(documents)).toEqual([])
    expect((await admin.ok('getAuditChainStatus')).entries).toBe(entries)
  })

  it('saves where the dialog says, owner-only, replacing the file it asked about only once the export is complete', async () => {
    const file = join(documents, 'report.csv')
    writeFileSync(file, 'an older report', { mode: 0o644 })
    answer = { canceled: false, filePath: file }
    const jobs = await waitForExport(admin, await admin.ok('exportUsers', { format: 'csv' }))
    expect(jobs[0]).toMatchObject({ state: 'running', file, download: null })
    expect(jobs[jobs.length - 1]).toMatchObject({ state: 'done', done: 1, total: 1, file })
    expect(readFileSync(file, 'utf8')).toMatch(/^email,name,role,status,enforcement,enforced_by,active_since,last_2fa_login,locked,disabled,source,deadline,groups\r\nadmin@example.com,Ada Admin,admin,active,/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(documents)).toEqual(['report.csv'])
    expect((await admin.ok('listAudit', { action: 'users.exported' })).entries[0]?.details).toEqual({ format: 'csv', rows: 1, file })
  })

  it('asks only for an administrator, and refuses one whose session ended while the dialog was open', async () => {
    const signedOut = env.screen()
    expect((await signedOut.fail('exportUsers', { format: 'csv' })).code).toBe('UNAUTHENTICATED')
    expect(showSaveDialog).not.toHaveBeenCalled()
    answer = { canceled: false, filePath: join(documents, 'late.csv') }
    showSaveDialog.mockImplementationOnce(async () => {
      env.clock.advance(16 * 60 * 1000)
      return answer
    })
    expect((await admin.fail('exportUsers', { format: 'csv' })).code).toBe('SESSION_EXPIRED')
    expect(readdirSync(documents)).toEqual([])
  })
})
