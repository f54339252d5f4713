// Account > Directory sync: the one LDAP / Active Directory connection, its
// test, and the sync (a preview first, or at once), with its progress while it
// runs. A sync that stopped before disabling too many users is shown as it
// came back, for the administrator to sync anyway or leave it.
import type { DirectoryConnectionInput, DirectoryConnectionView, DirectorySyncProgress, DirectorySyncResult } from '../../../../shared/contract/directory-sync'
import type { ApiError, Result } from '../../../../shared/errors'
import { IDLE, runAction, withStatus, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export type DirectoryAction = 'save' | 'test' | 'preview' | 'sync'

export interface DirectoryTestResult {
  entries: number
  warnings: string[]
}

export interface DirectorySyncSlice {
  connection: DirectoryConnectionView | null
  /** The first load answered: null then means no connection is set up. */
  loaded: boolean
  loading: boolean
  loadError: string | null
  status: Record<DirectoryAction, ActionStatus>
  /** The form field the app refused (its schema's name: url, baseDn, ...), to mark it. */
  invalidField: string | null
  tested: DirectoryTestResult | null
  /** The last preview or sync started here: what it did or would do. */
  report: DirectorySyncResult | null
  /** While a preview or a sync runs. */
  progress: DirectorySyncProgress | null
  /** Bumped when a save went through: the screen starts the form afresh from what was stored. */
  formVersion: number

  actions: {
    open: () => Promise<void>
    /** Something changed elsewhere (a scheduled sync, the command line): fetch the connection again in place. */
    refresh: () => Promise<Followed>
    save: (input: DirectoryConnectionInput) => Promise<boolean>
    /** Tests these settings (what the form shows) without storing them. */
    test: (settings: DirectoryConnectionInput) => Promise<void>
    preview: () => Promise<void>
    /** A real sync; `allowMassDisable` after the administrator confirmed the users it disables. */
    sync: (allowMassDisable?: boolean) => Promise<boolean>
    dismissReport: () => void
    /** The form changed since the test: what it found no longer says anything about it. */
    forgetTest: () => void
  }
}

export const DIRECTORY_PROGRESS_POLL_MS = 250

const NO_STATUS: Record<DirectoryAction, ActionStatus> = { save: IDLE, test: IDLE, preview: IDLE, sync: IDLE }
const STARTING: DirectorySyncProgress = { running: true, phase: 'reading', done: 0, total: 0 }

/** The field a refusal names, as the form names it (a test's settings are one level down). */
function invalidFieldOf(error: ApiError): string | null {
  if (error.code !== 'VALIDATION' || error.field === undefined) return null
  return error.field.replace(/^settings\./, '')
}

export const createDirectorySyncSlice: SliceCreator<'directorySync'> = ({ set, get, call }) => {
  const show = (action: DirectoryAction) => (status: ActionStatus) => set((state) => ({ status: withStatus(state.status, action, status) }))
  const busy = () => Object.values(get().status).some((status) => status.pending)
  /** Each answer that sets the connection takes a ticket: a refresh asked for before it is older, and dropped. */
  const writes = latestOnly()

  /** Asks how far the sync got until `running` settles. */
  const followProgress = (running: Promise<unknown>): void => {
    let finished = false
    void running.finally(() => (finished = true))
    const poll = async (): Promise<void> => {
      while (!finished) {
        await new Promise((resolve) => setTimeout(resolve, DIRECTORY_PROGRESS_POLL_MS))
        if (finished) return
        const answer = await call('getDirectorySyncProgress', {})
        if (!finished && answer.ok && answer.value.running) set({ progress: answer.value })
      }
    }
    void poll()
  }

  const fetchConnection = (): Promise<Result<DirectoryConnectionView | null>> => call('getDirectoryConnection', {})

  const runSync = async (action: 'preview' | 'sync', allowMassDisable: boolean): Promise<DirectorySyncResult | null> => {
    if (busy()) return null
    set({ report: null, progress: STARTING, invalidField: null })
    const sending = call('syncDirectory', allowMassDisable ? { dryRun: action === 'preview', allowMassDisable } : { dryRun: action === 'preview' })
    followProgress(sending)
    // A sync that changed the directory also changed the last sync's time and counts: both are fetched before
    // either is shown, so the outcome never sits beside the last sync as it was before.
    let recorded: DirectoryConnectionView | null | undefined
    const send = async (): Promise<Result<DirectorySyncResult>> => {
      const answer = await sending
      if (answer.ok && answer.value.applied) {
        const connection = await fetchConnection()
        if (connection.ok) recorded = connection.value
      }
      return answer
    }
    const keep = (report: DirectorySyncResult) => {
      if (recorded !== undefined) writes.next()
      set(recorded === undefined ? { report } : { report, connection: recorded })
    }
    const result = await runAction({ show: show(action), send, keep })
    set({ progress: null })
    return result?.ok ? result.value : null
  }

  return {
    connection: null,
    loaded: false,
    loading: false,
    loadError: null,
    status: NO_STATUS,
    invalidField: null,
    tested: null,
    report: null,
    progress: null,
    formVersion: 0,

    actions: {
      open: async () => {
        // A sync still under way from the last visit keeps its status and shows its outcome when it ends.
        if (!busy()) set({ status: NO_STATUS, invalidField: null, tested: null, report: null, progress: null })
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: fetchConnection,
          keep: (connection) => {
            writes.next()
            set({ connection, loaded: true })
          }
        })
      },

      refresh: async () => {
        // A save or a sync under way sets the connection itself when it ends; an answer asked for before that is older.
        const settling = () => get().status.save.pending || get().status.sync.pending
        if (get().loading || settling()) return false
        if (!get().loaded) return true
        const ticket = writes.current()
        const result = await fetchConnection()
        if (!ticket.isLatest() || settling()) return false
        if (result.ok) set({ connection: result.value })
        return true
      },

      save: async (input) => {
        set({ invalidField: null })
        const result = await runAction({
          show: show('save'),
          send: () => call('setDirectoryConnection', input),
          // What was previewed or tested was for the connection as it was.
          keep: (connection) => {
            writes.next()
            set((state) => ({ connection, loaded: true, report: null, tested: null, formVersion: state.formVersion + 1 }))
          },
          success: () => 'The connection was saved.'
        })
        if (result && !result.ok) set({ invalidField: invalidFieldOf(result.error) })
        return result?.ok === true
      },

      test: async (settings) => {
        set({ tested: null, invalidField: null })
        const result = await runAction({
          show: show('test'),
          send: () => call('testDirectoryConnection', { settings }),
          keep: (tested) => set({ tested })
        })
        if (result && !result.ok) set({ invalidField: invalidFieldOf(result.error) })
      },

      preview: async () => {
        await runSync('preview', false)
      },

      sync: async (allowMassDisable = false) => {
        const result = await runSync('sync', allowMassDisable)
        return result?.applied === true
      },

      dismissReport: () => set((state) => ({ report: null, status: { ...state.status, preview: IDLE, sync: IDLE } })),

      forgetTest: () => {
        const { tested, status, invalidField } = get()
        if (tested === null && status.test.error === null) return
        set({ tested: null, status: { ...status, test: IDLE }, invalidField: status.test.error === null ? invalidField : null })
      }
    }
  }
}
