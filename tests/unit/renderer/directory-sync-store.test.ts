// Account > Directory sync in the store over a fake window.api: the form's
// text to the call the app checks, a save and a test refused in the app's
// words (the field marked), a preview and a sync followed to their end, the
// stop before disabling too many users and the sync that goes on anyway.
import { describe, expect, it, vi } from 'vitest'
import type { DirectoryConnectionInput, DirectoryConnectionView, DirectorySyncProgress, DirectorySyncResult } from '../../../src/shared/contract/directory-sync'
import { PLAIN_LDAP_WARNING } from '../../../src/shared/directory-presets'
import type { Result } from '../../../src/shared/errors'
import { draftChanged, draftFrom, draftWarnings, inputFrom } from '../../../src/renderer/src/lib/directory-draft'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { DIRECTORY_PROGRESS_POLL_MS } from '../../../src/renderer/src/store/slices/directory-sync'
import { fakeApi } from './support/fake-api'

const VIEW: DirectoryConnectionView = {
  preset: 'openldap',
  url: 'ldap://ldap.example.com:389',
  baseDn: 'dc=example,dc=com',
  bindDn: 'cn=sync,dc=example,dc=com',
  hasBindPassword: true,
  userFilter: null,
  groupDn: null,
  syncGroupDns: [],
  emailAttribute: 'mail',
  nameAttribute: 'cn',
  loginAttribute: 'uid',
  startTls: false,
  caFile: null,
  massDisablePercent: 10,
  scheduleMinutes: null,
  changedAt: Date.UTC(2026, 2, 1),
  changedBy: 'ada@example.com',
  lastSyncAt: null,
  lastSync: null,
  warnings: [PLAIN_LDAP_WARNING]
}

const RESULT: DirectorySyncResult = {
  applied: false,
  dryRun: true,
  entries: 3,
  created: 3,
  updated: 0,
  disabled: 0,
  reenabled: 0,
  unchanged: 0,
  groupsCreated: 0,
  membersAdded: 0,
  membersRemoved: 0,
  errors: [],
  changes: [{ email: 'user00001@example.com', kind: 'create', detail: 'User 00001' }],
  groups: [],
  massDisable: null
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe('the Directory sync form as text', () => {
  it('shows the preset’s attributes as empty fields (placeholders), and sends only what was typed', () => {
    const draft = draftFrom({ ...VIEW, nameAttribute: 'displayName' })
    expect(draft).toMatchObject({ emailAttribute: '', nameAttribute: 'displayName', loginAttribute: '', bindPassword: '', scheduled: false, massDisablePercent: '10' })
    expect(inputFrom(draft)).toEqual({
      preset: 'openldap',
      url: 'ldap://ldap.example.com:389',
      baseDn: 'dc=example,dc=com',
      bindDn: 'cn=sync,dc=example,dc=com',
      userFilter: null,
      groupDn: null,
      nameAttribute: 'displayName',
      startTls: false,
      caFile: null,
      massDisablePercent: 10,
      scheduleMinutes: null
    })
  })

  it('sends a typed bind password, a schedule when on, and trims what was typed', () => {
    const draft = { ...draftFrom(null), url: ' ldaps://dc1.example.com:636 ', baseDn: 'DC=example,DC=com', bindPassword: ' secret ', scheduled: true, scheduleMinutes: '15', groupDn: '  ' }
    expect(inputFrom(draft)).toMatchObject({ url: 'ldaps://dc1.example.com:636', bindPassword: ' secret ', scheduleMinutes: 15, groupDn: null })
    expect('bindPassword' in inputFrom({ ...draft, bindPassword: '' })).toBe(false)
    // Not a whole number: the app refuses it (the form's own checks come first).
    expect(inputFrom({ ...draft, massDisablePercent: '2.5' }).massDisablePercent).toBeNaN()
  })

  it('warns of plain ldap:// without StartTLS while it is typed, in the core’s words', () => {
    const draft = draftFrom(VIEW)
    expect(draftWarnings(draft)).toEqual([PLAIN_LDAP_WARNING])
    expect(draftWarnings({ ...draft, startTls: true })).toEqual([])
    expect(draftWarnings({ ...draft, url: 'ldaps://ldap.example.com:636' })).toEqual([])
  })

  it('holds the groups to bring in as one DN per line, and sends them without blank lines (none: left out)', () => {
    const stored = { ...VIEW, syncGroupDns: ['cn=VPN Users,ou=groups,dc=example,dc=com', 'cn=Finance,dc=example,dc=com'] }
    const draft = draftFrom(stored)
    expect(draft.syncGroupDns).toBe('cn=VPN Users,ou=groups,dc=example,dc=com\ncn=Finance,dc=example,dc=com')
    expect(inputFrom({ ...draft, syncGroupDns: `\n ${draft.syncGroupDns}\r\n\n` }).syncGroupDns).toEqual(stored.syncGroupDns)
    expect('syncGroupDns' in inputFrom({ ...draft, syncGroupDns: ' \n ' })).toBe(false)
    expect(draftChanged({ ...draft, syncGroupDns: `${draft.syncGroupDns}\n` }, stored)).toBe(false)
    expect(draftChanged({ ...draft, syncGroupDns: 'cn=VPN Users,ou=groups,dc=example,dc=com' }, stored)).toBe(true)
  })

  it('knows when the form differs from the stored connection', () => {
    expect(draftChanged(draftFrom(VIEW), VIEW)).toBe(false)
    expect(draftChanged({ ...draftFrom(VIEW), bindPassword: 'new' }, VIEW)).toBe(true)
    expect(draftChanged({ ...draftFrom(VIEW), preset: 'active-directory' }, VIEW)).toBe(true)
  })
})

describe('the directory sync slice', () => {
  it('loads no connection as an empty state, and saves one: the form starts afresh from what was stored', async () => {
    const saved: DirectoryConnectionInput[] = []
    const store = createAppStore(
      fakeApi({
        getDirectoryConnection: async () => ok(null),
        setDirectoryConnection: async (input: DirectoryConnectionInput) => {
          saved.push(input)
          return ok(VIEW)
        }
      })
    )
    const { open, save } = store.getState().directorySync.actions
    await open()
    expect(store.getState().directorySync).toMatchObject({ loaded: true, connection: null, loadError: null })
    const version = store.getState().directorySync.formVersion
    expect(await save(inputFrom({ ...draftFrom(null), url: VIEW.url, baseDn: VIEW.baseDn, bindDn: VIEW.bindDn, bindPassword: 'sync-secret' }))).toBe(true)
    expect(saved[0]).toMatchObject({ url: VIEW.url, bindPassword: 'sync-secret' })
    expect(store.getState().directorySync).toMatchObject({ connection: VIEW, formVersion: version + 1, status: { save: { success: 'The connection was saved.' } } })
  })

  it('shows a refused save and a failed test in the app’s words, and marks the field', async () => {
    const store = createAppStore(
      fakeApi({
        setDirectoryConnection: async () => ({ ok: false, error: { code: 'VALIDATION', message: 'Enter the address like ldap://dc1.example.com:389 or ldaps://dc1.example.com:636.', field: 'url' } }),
        testDirectoryConnection: async (input: { settings?: DirectoryConnectionInput }) =>
          input.settings?.bindDn === 'cn=wrong'
            ? { ok: false, error: { code: 'DIRECTORY_BIND_FAILED', message: 'The directory refused the bind DN or password. Check both.' } }
            : { ok: false, error: { code: 'VALIDATION', message: 'Enter the base DN, like dc=example,dc=com.', field: 'settings.baseDn' } }
      })
    )
    const { save, test } = store.getState().directorySync.actions
    expect(await save(inputFrom(draftFrom(null)))).toBe(false)
    expect(store.getState().directorySync).toMatchObject({ invalidField: 'url', status: { save: { error: expect.stringMatching(/^Enter the address/) } } })
    await test(inputFrom(draftFrom(null)))
    expect(store.getState().directorySync).toMatchObject({ invalidField: 'baseDn', tested: null, status: { save: { error: null }, test: { error: expect.stringMatching(/^Enter the base DN/) } } })
    await test(inputFrom({ ...draftFrom(VIEW), bindDn: 'cn=wrong' }))
    expect(store.getState().directorySync).toMatchObject({ invalidField: null, status: { test: { error: 'The directory refused the bind DN or password. Check both.' } } })
    store.getState().directorySync.actions.forgetTest()
    expect(store.getState().directorySync.status.test).toEqual({ pending: false, error: null, success: null })
  })

  it('tests the settings in the form, unsaved, and keeps what the directory answered', async () => {
    const testDirectoryConnection = vi.fn(async () => ok({ entries: 1234, warnings: [PLAIN_LDAP_WARNING] }))
    const store = createAppStore(fakeApi({ testDirectoryConnection }))
    const settings = inputFrom({ ...draftFrom(VIEW), baseDn: 'ou=people,dc=example,dc=com' })
    await store.getState().directorySync.actions.test(settings)
    expect(testDirectoryConnection).toHaveBeenCalledWith({ settings })
    expect(store.getState().directorySync.tested).toEqual({ entries: 1234, warnings: [PLAIN_LDAP_WARNING] })
    // Once the form changes, what the test found says nothing about it.
    store.getState().directorySync.actions.forgetTest()
    expect(store.getState().directorySync.tested).toBeNull()
  })

  it('previews with a dry run, showing the progress while it runs, and starts nothing else meanwhile', async () => {
    const progress: DirectorySyncProgress = { running: true, phase: 'applying', done: 2, total: 3 }
    const syncDirectory = vi.fn(async (_input: { dryRun: boolean; allowMassDisable?: boolean }) => later(ok(RESULT), DIRECTORY_PROGRESS_POLL_MS * 3))
    const store = createAppStore(fakeApi({ syncDirectory, getDirectorySyncProgress: async () => ok(progress) }))
    const { preview, sync } = store.getState().directorySync.actions
    const running = preview()
    expect(store.getState().directorySync.progress).toMatchObject({ running: true, phase: 'reading' })
    expect(await sync()).toBe(false)
    await later(null, DIRECTORY_PROGRESS_POLL_MS * 2)
    expect(store.getState().directorySync.progress).toEqual(progress)
    await running
    expect(syncDirectory).toHaveBeenCalledTimes(1)
    expect(syncDirectory).toHaveBeenCalledWith({ dryRun: true })
    expect(store.getState().directorySync).toMatchObject({ progress: null, report: RESULT, status: { preview: { pending: false, error: null } } })
  })

  it('stops before disabling too many users, and syncs anyway when confirmed; then shows the last sync as the app recorded it', async () => {
    const stopped: DirectorySyncResult = { ...RESULT, dryRun: false, created: 0, disabled: 4, unchanged: 26, massDisable: { wouldDisable: 4, synced: 30, limitPercent: 10 } }
    const applied: DirectorySyncResult = { ...stopped, applied: true, massDisable: null }
    const recorded: DirectoryConnectionView = { ...VIEW, lastSyncAt: Date.UTC(2026, 2, 2), lastSync: { created: 0, updated: 0, disabled: 4, reenabled: 0, unchanged: 26, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }
    const syncDirectory = vi.fn(async (input: { dryRun: boolean; allowMassDisable?: boolean }) => ok(input.allowMassDisable ? applied : stopped))
    const store = createAppStore(fakeApi({ syncDirectory, getDirectoryConnection: async () => ok(recorded), getDirectorySyncProgress: async () => ok({ running: false, phase: null, done: 0, total: 0 }) }))
    const { sync } = store.getState().directorySync.actions
    expect(await sync()).toBe(false)
    expect(store.getState().directorySync.report?.massDisable).toEqual({ wouldDisable: 4, synced: 30, limitPercent: 10 })
    expect(store.getState().directorySync.connection).toBeNull()
    expect(await sync(true)).toBe(true)
    expect(syncDirectory.mock.calls.map(([input]) => input)).toEqual([{ dryRun: false }, { dryRun: false, allowMassDisable: true }])
    expect(store.getState().directorySync).toMatchObject({ report: applied, connection: recorded })
  })

  it('shows a sync’s outcome only together with the last sync it recorded, never beside the one before', async () => {
    const before: DirectoryConnectionView = { ...VIEW, lastSyncAt: Date.UTC(2026, 2, 1), lastSync: { created: 30, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }
    const applied: DirectorySyncResult = { ...RESULT, applied: true, dryRun: false, created: 0, disabled: 4, unchanged: 26 }
    const recorded: DirectoryConnectionView = { ...VIEW, lastSyncAt: Date.UTC(2026, 2, 2), lastSync: { created: 0, updated: 0, disabled: 4, reenabled: 0, unchanged: 26, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }
    let answer = before
    const store = createAppStore(
      fakeApi({
        getDirectoryConnection: () => later(ok(answer), 20),
        syncDirectory: async () => {
          answer = recorded
          return ok(applied)
        },
        getDirectorySyncProgress: async () => ok({ running: false, phase: null, done: 0, total: 0 })
      })
    )
    await store.getState().directorySync.actions.open()
    const seen: Array<DirectoryConnectionView | null> = []
    const unsubscribe = store.subscribe((state) => {
      if (state.directorySync.report === applied) seen.push(state.directorySync.connection)
    })
    expect(await store.getState().directorySync.actions.sync()).toBe(true)
    unsubscribe()
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((connection) => connection === recorded)).toBe(true)
  })

  it('drops a refresh asked for before a sync ended: its answer is the last sync before', async () => {
    const before: DirectoryConnectionView = { ...VIEW, lastSyncAt: 1, lastSync: { created: 30, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }
    const recorded: DirectoryConnectionView = { ...VIEW, lastSyncAt: 2, lastSync: { created: 0, updated: 0, disabled: 4, reenabled: 0, unchanged: 26, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }
    let holdNext = false
    let release: (value: Result<DirectoryConnectionView>) => void = () => {}
    let answer = before
    const store = createAppStore(
      fakeApi({
        getDirectoryConnection: () => {
          if (!holdNext) return Promise.resolve(ok(answer))
          holdNext = false
          return new Promise((resolve) => (release = resolve))
        },
        syncDirectory: async () => {
          answer = recorded
          return ok({ ...RESULT, applied: true, dryRun: false })
        },
        getDirectorySyncProgress: async () => ok({ running: false, phase: null, done: 0, total: 0 })
      })
    )
    const { open, refresh, sync } = store.getState().directorySync.actions
    await open()
    holdNext = true
    const refreshing = refresh()
    expect(await sync()).toBe(true)
    expect(store.getState().directorySync.connection).toEqual(recorded)
    release(ok(before))
    await refreshing
    expect(store.getState().directorySync.connection).toEqual(recorded)
  })

  it('shows a sync the directory failed in the app’s words, with nothing to report', async () => {
    const message = 'The directory did not answer at ldap://127.0.0.1:1. Nothing was changed: check the address and try again.'
    const store = createAppStore(fakeApi({ syncDirectory: async () => ({ ok: false, error: { code: 'DIRECTORY_UNAVAILABLE', message } }) }))
    expect(await store.getState().directorySync.actions.sync()).toBe(false)
    expect(store.getState().directorySync).toMatchObject({ report: null, progress: null, status: { sync: { error: message } } })
  })

  it('follows a change made elsewhere in place, but not over a save under way', async () => {
    let answer: DirectoryConnectionView = VIEW
    let saving: (value: Result<DirectoryConnectionView>) => void = () => {}
    const store = createAppStore(
      fakeApi({
        getDirectoryConnection: async () => ok(answer),
        setDirectoryConnection: () => new Promise((resolve) => (saving = resolve))
      })
    )
    const { open, refresh, save } = store.getState().directorySync.actions
    await open()
    answer = { ...VIEW, lastSyncAt: 1, lastSync: { created: 1, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }
    await refresh()
    expect(store.getState().directorySync.connection).toEqual(answer)
    const saved = save(inputFrom(draftFrom(VIEW)))
    answer = VIEW
    await refresh()
    expect(store.getState().directorySync.connection?.lastSyncAt).toBe(1)
    saving(ok({ ...VIEW, startTls: true, warnings: [] }))
    await saved
    expect(store.getState().directorySync.connection?.startTls).toBe(true)
  })
})
