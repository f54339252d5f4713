// Account > Users > Import users: a file chosen, checked by a dry run (the
// preview of every change and every problem), then imported with a progress
// bar. The file's text stays here between the two steps only; the app checks
// everything again when it imports.
import { MAX_IMPORT_BYTES, type ImportProgress, type ImportResult } from '../../../../shared/contract/user-import'
import type { SliceCreator } from '../app-state'

export type ImportStep = 'choose' | 'checking' | 'preview' | 'importing' | 'done'

export interface UserImportSlice {
  step: ImportStep
  fileName: string | null
  ignoreUnknownColumns: boolean
  /** The dry run's answer (preview), then the import's (done). */
  result: ImportResult | null
  progress: ImportProgress | null
  error: string | null
  actions: {
    /** Starts again at the file picker. */
    reset: () => void
    /** Ignore columns the import does not know; a file already checked is checked again. */
    setIgnoreUnknownColumns: (ignore: boolean) => Promise<void>
    /** Reads the file and checks it with a dry run. */
    check: (file: { name: string; size: number; text: () => Promise<string> }) => Promise<void>
    /** Imports the checked file; resolves to whether it was imported. */
    apply: () => Promise<boolean>
  }
}

const PROGRESS_POLL_MS = 250

export const createUserImportSlice: SliceCreator<'userImport'> = ({ set, get, app, call }) => {
  let csv: string | null = null
  // Each new file or reset makes earlier answers stale.
  let generation = 0

  /** Polls the import's progress until `running` settles. */
  const followProgress = (running: Promise<unknown>, mine: number): void => {
    let finished = false
    void running.finally(() => (finished = true))
    const poll = async (): Promise<void> => {
      while (!finished && generation === mine) {
        const answer = await call('getImportProgress', {})
        if (finished || generation !== mine) return
        if (answer.ok && answer.value.running) set({ progress: answer.value })
        await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS))
      }
    }
    void poll()
  }

  const run = async (dryRun: boolean): Promise<ImportResult | null> => {
    const mine = generation
    if (csv === null) return null
    const sending = call('importUsers', { csv, dryRun, ignoreUnknownColumns: get().ignoreUnknownColumns })
    followProgress(sending, mine)
    const answer = await sending
    if (generation !== mine) return null
    if (!answer.ok) {
      set({ step: dryRun ? 'choose' : 'preview', error: answer.error.message, progress: null })
      return null
    }
    return answer.value
  }

  return {
    step: 'choose',
    fileName: null,
    ignoreUnknownColumns: false,
    result: null,
    progress: null,
    error: null,
    actions: {
      reset: () => {
        generation++
        csv = null
        set({ step: 'choose', fileName: null, result: null, progress: null, error: null })
      },

      setIgnoreUnknownColumns: async (ignore) => {
        set({ ignoreUnknownColumns: ignore })
        if (get().step !== 'preview' || csv === null) return
        const mine = ++generation
        set({ step: 'checking', result: null, progress: null, error: null })
        const result = await run(true)
        if (result && generation === mine) set({ step: 'preview', result, progress: null })
      },

      check: async (file) => {
        const mine = ++generation
        csv = null
        if (file.size > MAX_IMPORT_BYTES) {
          set({ step: 'choose', fileName: file.name, error: `${file.name} is larger than 32 MB. Split it, or import it with "twofa-admin import users FILE".` })
          return
        }
        set({ step: 'checking', fileName: file.name, result: null, progress: null, error: null })
        let text: string
        try {
          text = await file.text()
        } catch {
          if (generation === mine) set({ step: 'choose', error: `${file.name} could not be read. Choose the file again.` })
          return
        }
        if (generation !== mine) return
        csv = text
        const result = await run(true)
        if (result) set({ step: 'preview', result, progress: null })
      },

      apply: async () => {
        if (get().step !== 'preview' || csv === null) return false
        set({ step: 'importing', error: null, progress: null })
        const result = await run(false)
        if (!result) return false
        // Refused after all (the directory changed since the dry run): the preview shows the problems.
        if (!result.applied) {
          set({ step: 'preview', result, progress: null })
          return false
        }
        csv = null
        set({ step: 'done', result, progress: null })
        // The list shows the new users at once (the freshness poll would, within seconds).
        if (result.applied) void app().users.actions.refresh()
        return result.applied
      }
    }
  }
}
