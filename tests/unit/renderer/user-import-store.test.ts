// The Import users slice over a fake window.api: a file checked again when
// unknown columns are to be ignored, and an import refused after its dry run
// goes back to the preview of its problems instead of saying it was done.
import { describe, expect, it, vi } from 'vitest'
import type { ImportResult, ImportUsersInput } from '../../../src/shared/contract/user-import'
import type { Result } from '../../../src/shared/errors'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const OK: ImportResult = { applied: false, dryRun: true, rows: 1, created: 1, updated: 0, unchanged: 0, errors: [], errorsTotal: 0, changes: [], newAdmins: 0 }
const REFUSED: ImportResult = { ...OK, created: 0, errors: [{ line: 2, email: 'maria@example.com', message: 'Taken meanwhile.' }], errorsTotal: 1 }
const file = (text: string) => ({ name: 'people.csv', size: text.length, text: async () => text })

function importer(answer: (input: ImportUsersInput) => ImportResult) {
  const importUsers = vi.fn(async (input: ImportUsersInput): Promise<Result<ImportResult>> => ({ ok: true, value: answer(input) }))
  const store = createAppStore(
    fakeApi({
      importUsers,
      getImportProgress: async () => ({ ok: true, value: { running: false, phase: null, done: 0, total: 0 } }),
      listUsers: async () => ({ ok: true, value: { users: [], nextCursor: null, start: 0, total: 0, countPending: false } })
    })
  )
  return { importUsers, slice: () => store.getState().userImport }
}

describe('userImport', () => {
  it('checks the same file again once unknown columns are to be ignored', async () => {
    const app = importer((input) => (input.ignoreUnknownColumns ? OK : { ...REFUSED, rows: 0 }))
    await app.slice().actions.check(file('email,colour\nmaria@example.com,red\n'))
    expect(app.slice().result?.errorsTotal).toBe(1)
    await app.slice().actions.setIgnoreUnknownColumns(true)
    expect(app.importUsers).toHaveBeenLastCalledWith({ csv: 'email,colour\nmaria@example.com,red\n', dryRun: true, ignoreUnknownColumns: true })
    expect(app.slice()).toMatchObject({ step: 'preview', result: OK, ignoreUnknownColumns: true })
  })

  it('only remembers the choice while no file is chosen', async () => {
    const app = importer(() => OK)
    await app.slice().actions.setIgnoreUnknownColumns(true)
    expect(app.importUsers).not.toHaveBeenCalled()
    expect(app.slice()).toMatchObject({ step: 'choose', ignoreUnknownColumns: true })
  })

  it('shows the problems of an import refused after its dry run, not "imported"', async () => {
    const app = importer((input) => (input.dryRun ? OK : { ...REFUSED, dryRun: false }))
    await app.slice().actions.check(file('email\nmaria@example.com\n'))
    await expect(app.slice().actions.apply()).resolves.toBe(false)
    expect(app.slice()).toMatchObject({ step: 'preview', result: { applied: false, errorsTotal: 1 } })
  })

  it('says it is done once the import went through', async () => {
    const app = importer((input) => (input.dryRun ? OK : { ...OK, dryRun: false, applied: true }))
    await app.slice().actions.check(file('email\nmaria@example.com\n'))
    await expect(app.slice().actions.apply()).resolves.toBe(true)
    expect(app.slice()).toMatchObject({ step: 'done', result: { applied: true } })
  })
})
