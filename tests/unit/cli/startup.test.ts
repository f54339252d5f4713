// What a command loads at start: the password rule's dictionaries (about 100 ms)
// only for commands that set a password, not for every `twofa-admin status`.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'twofa-startup-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Preloaded into the command's process: notes every package it requires.
const hook = join(dir, 'record-requires.cjs')
const record = join(dir, 'required.txt')
writeFileSync(
  hook,
  `const Module = require('node:module'); const fs = require('node:fs'); const load = Module._load;
   Module._load = function (request, ...rest) { fs.appendFileSync(${JSON.stringify(record)}, request + '\\n'); return load.call(this, request, ...rest) }`
)

function requiredBy(args: string[], stdin = ''): string[] {
  rmSync(record, { force: true })
  const run = spawnSync(process.execPath, ['--require', hook, join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', join(dir, 'directory.db'), ...args], {
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${hook}` }
  })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  return readFileSync(record, 'utf8').split('\n')
}

describe('a command starting', () => {
  it('loads the password dictionaries only when it sets a password', () => {
    requiredBy(['init'])
    const adding = requiredBy(['user', 'add', '--name', 'Ada Admin', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'a long admin password')
    expect(adding).toContain('@zxcvbn-ts/language-en')
    const status = requiredBy(['status', '--json'])
    expect(status).toContain('better-sqlite3')
    expect(status).not.toContain('@zxcvbn-ts/language-en')
    expect(status).not.toContain('@zxcvbn-ts/core')
  }, 60_000)
})
