// twofa-admin import users FILE (issue 10): the JSON answer's exact shape, the
// exit status (0 applied or a clean dry run, 1 refused, 2 misuse), and a file
// that is not there.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'

let sandbox: CliSandbox
beforeEach(async () => {
  sandbox = new CliSandbox('twofa-import-')
  expect((await sandbox.run(['init'])).code).toBe(0)
})
afterEach(() => sandbox.dispose())

function file(text: string): string {
  const path = join(sandbox.dir, 'people.csv')
  writeFileSync(path, text)
  return path
}

const listEmails = async (): Promise<string[]> => (JSON.parse((await sandbox.run(['user', 'list', '--json'])).out) as { email: string }[]).map((user) => user.email)

describe('twofa-admin import users', () => {
  it('prints exactly the counts and the errors as JSON and exits 0 when applied', async () => {
    const path = file('email,name,role\nmaria@example.com,Maria,admin\nli@example.com,Li,\n')
    const run = await sandbox.run(['import', 'users', path, '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.out)).toEqual({ created: 2, updated: 0, unchanged: 0, errors: [] })
    expect(await listEmails()).toEqual(['li@example.com', 'maria@example.com'])
    const again = await sandbox.run(['import', 'users', path, '--json'])
    expect(JSON.parse(again.out)).toEqual({ created: 0, updated: 0, unchanged: 2, errors: [] })
  })

  it('exits 1 with every problem and its line, and changes nothing', async () => {
    const run = await sandbox.run(['import', 'users', file('email,role\nmaria@example.com,root\nnope,user\nmaria@EXAMPLE.com,user\n'), '--json'])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.out)).toEqual({
      // No row passed its own checks: nothing was even counted as to create.
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [
        { line: 2, email: 'maria@example.com', message: 'Role is "root": use admin or user.' },
        { line: 3, email: 'nope', message: '"nope": Enter an email address like name@example.com.' },
        { line: 4, email: 'maria@example.com', message: 'maria@example.com is also on line 2: each user may appear once.' }
      ]
    })
    expect(await listEmails()).toEqual([])
    const text = await sandbox.run(['import', 'users', file('email\nnope\n')])
    expect(text.code).toBe(1)
    expect(text.out).toBe('Nothing was imported: the file has 1 problem. Fix it and import again.\n  line 2 (nope): "nope": Enter an email address like name@example.com.\n')
  })

  it('a dry run exits 0 when clean and says nothing was changed', async () => {
    const run = await sandbox.run(['import', 'users', file('email\nmaria@example.com\n'), '--dry-run'])
    expect(run).toMatchObject({ code: 0, out: 'Dry run of 1 rows: 1 to create, 0 to update, 0 unchanged. Nothing was changed.\n' })
    expect(await listEmails()).toEqual([])
  })

  it('refuses a missing file, a folder, a missing argument and unknown flags clearly', async () => {
    expect(await sandbox.run(['import', 'users', join(sandbox.dir, 'missing.csv')])).toMatchObject({ code: 1, err: expect.stringMatching(/There is no file .*missing\.csv/) })
    expect(await sandbox.run(['import', 'users', sandbox.dir])).toMatchObject({ code: 1, err: expect.stringMatching(/is a folder or a device, not a CSV file/) })
    expect((await sandbox.run(['import', 'users'])).code).toBe(2)
    expect((await sandbox.run(['import', 'groups', 'x.csv'])).code).toBe(2)
    expect((await sandbox.run(['import', 'users', 'x.csv', '--format', 'csv'])).code).toBe(2)
  })
})

describe('twofa-admin user show after an import', () => {
  it('says where the user comes from and that they have no password yet, until one is set', async () => {
    await sandbox.run(['import', 'users', file('email,name\nnew@example.com,New Person\n')])
    const shown = await sandbox.run(['user', 'show', 'new@example.com'])
    expect(shown.out).toMatch(/Source: +imported from CSV\n {2}Password: +none yet \(twofa-admin user set-password\)/)
    expect(JSON.parse((await sandbox.run(['user', 'show', 'new@example.com', '--json'])).out)).toMatchObject({ source: 'csv', hasPassword: false, directoryDn: null })
    expect((await sandbox.run(['user', 'set-password', 'new@example.com', '--password-stdin'], 'a long passphrase for new 2026')).code).toBe(0)
    expect((await sandbox.run(['user', 'show', 'new@example.com'])).out).toMatch(/Password: +set\n/)
  })
})
