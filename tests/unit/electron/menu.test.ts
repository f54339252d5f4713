// The application menu's Backup… and Restore… with fake dialogs over a real
// directory, and the integrity check the app runs after its window is shown.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import type { MessageBoxOptions } from 'electron'
import type { IntegrityReport } from '../../../src/main/core/maintenance/integrity'
import {
  applicationMenuTemplate,
  createBackupAction,
  createRestoreAction,
  defaultBackupName,
  existingKeyCheck,
  RESTORE_WHILE_BUSY,
  type Dialogs,
  type MaintenanceDeps
} from '../../../src/main/electron/menu'
import { damagedDialog, DAMAGED_DIALOG_TITLE, scheduleStartupIntegrityCheck } from '../../../src/main/electron/startup-check'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, START, TestEnv } from '../helpers/harness'

describe('the application menu template', () => {
  it('offers Back Up Directory… and Restore from Backup… in the File menu, wired to the actions', () => {
    const actions = { backup: vi.fn(), restore: vi.fn() }
    const template = applicationMenuTemplate('linux', actions)
    const file = template.find((item) => item.label === 'File')
    const items = (file?.submenu ?? []) as Array<{ id?: string; label?: string; role?: string; type?: string; click?: () => void }>
    expect(items.map((item) => item.label ?? item.role ?? item.type)).toEqual(['Back Up Directory…', 'Restore from Backup…', 'separator', 'quit'])
    items[0]?.click?.()
    items[1]?.click?.()
    expect(actions.backup).toHaveBeenCalledTimes(1)
    expect(actions.restore).toHaveBeenCalledTimes(1)
  })

  it('has no View menu: no reload, no developer tools', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const text = JSON.stringify(applicationMenuTemplate(platform, { backup: () => {}, restore: () => {} }))
      expect(text, platform).not.toMatch(/viewMenu|toggleDevTools|reload/i)
    }
  })

  it('follows macOS conventions: the app menu first, Quit in it', () => {
    const template = applicationMenuTemplate('darwin', { backup: () => {}, restore: () => {} })
    expect(template[0]).toEqual({ role: 'appMenu' })
    const file = template.find((item) => item.label === 'File')
    expect(JSON.stringify(file)).not.toContain('quit')
  })
})

describe('Backup… and Restore…', () => {
  let env: TestEnv
  let open: boolean
  let dialogs: { [K in keyof Dialogs]: ReturnType<typeof vi.fn> }
  let deps: MaintenanceDeps
  let messages: MessageBoxOptions[]

  beforeEach(async () => {
    env = new TestEnv()
    open = true
    messages = []
    await addUser(env, 'maria@example.com')
    dialogs = {
      showSaveDialog: vi.fn(async () => ({ canceled: true })),
      showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })),
      showMessageBox: vi.fn(async (options: MessageBoxOptions) => {
        messages.push(options)
        // "Restore" on the confirmation, OK elsewhere.
        return { response: 0 }
      })
    }
    deps = {
      dialogs: dialogs as unknown as Dialogs,
      directory: {
        dbPath: env.dbPath,
        isOpen: () => open,
        tasksRunning: () => env.core.backgroundTasksRunning(),
        backup: (destination, options, onProgress) => env.core.local.backup(destination, options, onProgress),
        prepareRestore: (backupFile, options, onProgress) => env.core.local.prepareRestore(backupFile, options, onProgress),
        close: vi.fn(() => {
          env.core.close()
          open = false
        }),
        reopen: vi.fn(() => {
          env.reopen()
          open = true
        }),
        keyCheck: () => undefined
      },
      documentsDir: env.dir,
      now: () => START,
      reloadWindow: vi.fn(),
      showProgress: vi.fn()
    }
  })
  afterEach(() => env.dispose())

  const emails = async (): Promise<string[]> => (await env.cli('listUsers', {})).users.map((user) => user.email)
  const stray = (): string[] => readdirSync(env.dir).filter((name) => name.includes('.restore-') || name.includes('.partial-'))

  it('backs up to the file chosen in the save dialog, and says the key is not in it', async () => {
    const target = join(env.dir, 'chosen.db')
    dialogs.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target })
    await createBackupAction(deps)()
    expect(dialogs.showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: join(env.dir, defaultBackupName(START)) }))
    expect(defaultBackupName(START)).toBe('2FA Admin backup 2026-11-27.db')
    expect(existsSync(target)).toBe(true)
    expect(messages.at(-1)).toMatchObject({ type: 'info', message: 'The backup is saved and checked.' })
    expect(String(messages.at(-1)?.detail)).toMatch(/secrets key .* is not in the backup/)
  })

  it('does nothing when the save dialog is cancelled, and reports a failure in a dialog', async () => {
    await createBackupAction(deps)()
    expect(messages).toEqual([])
    open = false
    await createBackupAction(deps)()
    expect(messages.at(-1)).toMatchObject({ type: 'error' })
  })

  it('restores a checked backup: closes the core, replaces the file, reopens, and shows the sign-in again', async () => {
    const backup = join(env.dir, 'backup.db')
    await env.core.local.backup(backup)
    await addUser(env, 'tom@example.com')
    dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [backup] })
    await createRestoreAction(deps)()

    expect(messages.map((m) => m.type)).toEqual(['warning', 'info'])
    expect(messages[0]).toMatchObject({ message: 'Replace the user directory with this backup?', buttons: ['Restore', 'Cancel'], cancelId: 1 })
    expect(deps.directory.close).toHaveBeenCalledTimes(1)
    expect(deps.directory.reopen).toHaveBeenCalledTimes(1)
    expect(deps.reloadWindow).toHaveBeenCalledTimes(1)
    expect(String(messages[1]?.detail)).toContain(`${env.dbPath}.before-restore-2026-11-27T09-00-00Z`)
    expect(await emails()).toEqual(['maria@example.com'])
    expect(stray()).toEqual([])
    // The check ran as a background task and showed its progress on the window's bar, then cleared it.
    const progress = vi.mocked(deps.showProgress).mock.calls.map(([value]) => value)
    expect(progress[0]).toBe('busy')
    expect(progress.some((value) => typeof value === 'number' && value > 0 && value <= 1)).toBe(true)
    expect(progress.at(-1)).toBeNull()
  })

  it('clears the progress bar when the check of a backup fails', async () => {
    const bad = join(env.dir, 'not-a-backup.db')
    writeFileSync(bad, 'plain text, not SQLite')
    dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [bad] })
    await createRestoreAction(deps)()
    expect(messages.at(-1)).toMatchObject({ type: 'error', message: 'This backup cannot be restored.' })
    expect(vi.mocked(deps.showProgress).mock.calls.at(-1)).toEqual([null])
  })

  it('changes nothing when the admin cancels the confirmation', async () => {
    const backup = join(env.dir, 'backup.db')
    await env.core.local.backup(backup)
    await addUser(env, 'tom@example.com')
    dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [backup] })
    dialogs.showMessageBox.mockResolvedValueOnce({ response: 1 })
    await createRestoreAction(deps)()
    expect(deps.directory.close).not.toHaveBeenCalled()
    expect(await emails()).toEqual(['maria@example.com', 'tom@example.com'])
    expect(stray()).toEqual([])
  })

  it('refuses a bad file before closing anything', async () => {
    const foreign = join(env.dir, 'foreign.db')
    const raw = new BetterSqlite3(foreign)
    raw.exec('CREATE TABLE notes (body TEXT)')
    raw.close()
    dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [foreign] })
    await createRestoreAction(deps)()
    expect(messages).toEqual([expect.objectContaining({ type: 'error', message: 'This backup cannot be restored.' })])
    expect(String(messages[0]?.detail)).toMatch(/not a 2FA Admin backup/)
    expect(deps.directory.close).not.toHaveBeenCalled()
    rmSync(foreign)
  })

  it('reopens the untouched directory when another program holds it open', async () => {
    const backup = join(env.dir, 'backup.db')
    await env.core.local.backup(backup)
    await addUser(env, 'tom@example.com')
    const other = new BetterSqlite3(env.dbPath)
    other.prepare('SELECT count(*) FROM users').get()
    try {
      dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [backup] })
      await createRestoreAction(deps)()
    } finally {
      other.close()
    }
    expect(messages.at(-1)).toMatchObject({ type: 'error', message: 'The backup was not restored.' })
    expect(String(messages.at(-1)?.detail)).toMatch(/open in another program/)
    expect(deps.directory.reopen).toHaveBeenCalledTimes(1)
    expect(await emails()).toEqual(['maria@example.com', 'tom@example.com'])
    expect(stray()).toEqual([])
  })

  it('refuses, before closing anything, while a background task is under way, and restores once it is done', async () => {
    const backup = join(env.dir, 'backup.db')
    await env.core.local.backup(backup)
    // A bulk change whose task has read its selection and waits for its turn to write behind another task.
    const gate = contextOf(env.core).writeGate
    const change = env.core.dispatch('applyBulkChange', CLI_CALLER, { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
    const release = await gate.acquire()
    expect(env.core.backgroundTasksRunning()).toBe(1)
    dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [backup] })
    await createRestoreAction(deps)()
    expect(messages.at(-1)).toMatchObject({ type: 'error', message: 'The backup was not restored.', detail: RESTORE_WHILE_BUSY })
    expect(deps.directory.close).not.toHaveBeenCalled()
    expect(stray()).toEqual([])
    release()
    expect((await change).ok).toBe(true)
    expect(env.core.backgroundTasksRunning()).toBe(0)
    dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [backup] })
    await createRestoreAction(deps)()
    expect(messages.at(-1)).toMatchObject({ type: 'info', message: 'The backup is restored. Sign in again.' })
    expect(await emails()).toEqual(['maria@example.com'])
  }, 30_000)

  it('checks the backup against the key in use only when a key exists', () => {
    const dataKey = vi.fn(() => Buffer.alloc(32))
    expect(existingKeyCheck(['/a.key', '/a.key.safestorage'], () => false, dataKey, () => 'check')).toBeUndefined()
    expect(dataKey).not.toHaveBeenCalled()
    expect(existingKeyCheck(['/a.key', '/a.key.safestorage'], (path) => path.endsWith('safestorage'), dataKey, () => 'check')).toBe('check')
  })
})

describe('the integrity check after the window is shown', () => {
  const damaged: Extract<IntegrityReport, { ok: false }> = {
    ok: false,
    full: false,
    problems: ['*** in database main ***\nTree 4 page 4 cell 0: invalid page number 7'],
    message: 'The user directory database is damaged (…). Close 2FA Admin and restore the database from a backup with "twofa-admin restore BACKUP-FILE" (the damaged file is kept aside).'
  }

  function run(report: IntegrityReport | (() => never) | null) {
    let deferred: (() => void) | undefined
    const showDamaged = vi.fn()
    const log = vi.fn()
    const checkIntegrityInBackground = vi.fn(async () => (typeof report === 'function' ? report() : (report as IntegrityReport)))
    const finished = scheduleStartupIntegrityCheck({
      core: () => (report === null ? null : { checkIntegrityInBackground }),
      showDamaged,
      log,
      defer: (fn) => (deferred = fn)
    })
    return {
      deferred: () => {
        deferred?.()
        return finished
      },
      showDamaged,
      log,
      checkIntegrityInBackground
    }
  }

  it('is deferred, not run on the way to the first screen, and runs off this thread', async () => {
    const { checkIntegrityInBackground, deferred } = run({ ok: true, full: false })
    expect(checkIntegrityInBackground).not.toHaveBeenCalled()
    await deferred()
    expect(checkIntegrityInBackground).toHaveBeenCalledTimes(1)
  })

  it('shows a clear dialog only when the file is damaged', async () => {
    const sound = run({ ok: true, full: false })
    await sound.deferred()
    expect(sound.showDamaged).not.toHaveBeenCalled()
    const bad = run(damaged)
    await bad.deferred()
    expect(bad.showDamaged).toHaveBeenCalledWith(damaged)
    const dialog = damagedDialog(damaged)
    expect(dialog.title).toBe(DAMAGED_DIALOG_TITLE)
    expect(dialog.message).toBe(damaged.message)
    expect(dialog.detail).toMatch(/will not change anything/)
    expect(dialog.detail).toMatch(/File > Restore from Backup…/)
  })

  it('does nothing without a core, and logs a check that could not run', async () => {
    const none = run(null)
    await none.deferred()
    expect(none.showDamaged).not.toHaveBeenCalled()
    const failing = run(() => {
      throw new Error('disk I/O error')
    })
    await failing.deferred()
    expect(failing.log).toHaveBeenCalledWith(expect.stringContaining('disk I/O error'))
  })
})
