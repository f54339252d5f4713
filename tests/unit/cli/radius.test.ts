// twofa-admin radius client add|list|remove and radius serve as a process
// (issue 11): secrets only from standard input and never printed, the service
// answering radclient, one log line per request without secrets, a clean stop
// on SIGTERM, and clear refusals to start.
import { spawn, spawnSync } from 'node:child_process'
import { renameSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LATEST_VERSION } from '../../../src/main/db/migrations'
import { CliSandbox } from '../helpers/cli'

const ROOT = resolve(__dirname, '..', '..', '..')
const SECRET = 'the shared secret of the vpn gateway'
const PASSWORD = 'a long password for tom 2026'

let sandbox: CliSandbox
beforeEach(async () => {
  sandbox = new CliSandbox('twofa-radius-')
  expect((await sandbox.run(['init'])).code).toBe(0)
})
afterEach(() => sandbox.dispose())

async function freeUdpPort(): Promise<number> {
  // A TCP port free on loopback is almost always free for UDP too; the service says so clearly if not.
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise((done) => server.close(done))
  return typeof address === 'object' && address !== null ? address.port : 0
}

describe('twofa-admin radius client', () => {
  it('adds from standard input, lists without the secret, removes, and refuses bad input clearly', async () => {
    expect(await sandbox.run(['radius', 'client', 'add', '--name', 'vpn', '--address', '10.0.0.0/8', '--secret-stdin', '--require-2fa'], SECRET)).toMatchObject({
      code: 0,
      out: 'Added RADIUS client vpn (10.0.0.0/8), 2FA required for every user.\n'
    })
    const listed = await sandbox.run(['radius', 'client', 'list', '--json'])
    expect(listed.out).not.toContain(SECRET)
    expect(JSON.parse(listed.out)).toMatchObject([{ name: 'vpn', address: '10.0.0.0/8', require2fa: true, createdBy: 'cli' }])
    expect((await sandbox.run(['radius', 'client', 'list'])).out).toMatch(/^NAME {2}ADDRESS +2FA FOR ALL {2}ADDED\nvpn +10\.0\.0\.0\/8 +yes /)
    expect(await sandbox.run(['radius', 'client', 'add', '--name', 'x', '--address', '10.0.0.0/33', '--secret-stdin'], SECRET)).toMatchObject({ code: 1, err: expect.stringMatching(/IP address or a CIDR block/) })
    expect(await sandbox.run(['radius', 'client', 'add', '--name', 'x', '--address', '192.0.2.1', '--secret-stdin'], 'too short')).toMatchObject({ code: 1, err: expect.stringMatching(/at least 16 characters/) })
    expect(await sandbox.run(['radius', 'client', 'add', '--name', 'VPN', '--address', '192.0.2.1', '--secret-stdin'], SECRET)).toMatchObject({ code: 1, err: expect.stringMatching(/already a RADIUS client named VPN/) })
    expect((await sandbox.run(['radius', 'client', 'add', '--name', 'x', '--address', '192.0.2.1'])).code).toBe(2)
    expect(await sandbox.run(['radius', 'client', 'remove', 'vpn'])).toMatchObject({ code: 0, out: 'Removed RADIUS client vpn.\n' })
    expect(await sandbox.run(['radius', 'client', 'remove', 'vpn'])).toMatchObject({ code: 1, err: expect.stringMatching(/no RADIUS client named vpn/) })
    expect((await sandbox.run(['radius', 'client', 'list'])).out).toMatch(/No RADIUS clients yet/)
  })
})

describe('twofa-admin radius serve', () => {
  it('refuses to start without clients, on a newer or foreign database, and on a missing one', async () => {
    expect(await sandbox.run(['radius', 'serve', '--port', '18120'])).toMatchObject({ code: 1, err: expect.stringMatching(/no RADIUS clients/) })
    expect((await sandbox.run(['radius', 'serve', '--port', '0'])).code).toBe(2)
    const foreign = join(sandbox.dir, 'foreign.db')
    writeFileSync(foreign, 'not a database at all, just text')
    expect(await sandbox.run(['--db', foreign, 'radius', 'serve'])).toMatchObject({ code: 1, err: expect.stringMatching(/not a 2FA Admin database|Cannot open/) })
    expect(await sandbox.run(['--db', join(sandbox.dir, 'missing.db'), 'radius', 'serve'])).toMatchObject({ code: 1, err: expect.stringMatching(/No database at/) })
    // A client whose secret is sealed, then the key file gone: nothing can be checked.
    await sandbox.run(['radius', 'client', 'add', '--name', 'vpn', '--address', '127.0.0.1', '--secret-stdin'], SECRET)
    renameSync(`${sandbox.db}.key`, `${sandbox.db}.key.aside`)
    expect(await sandbox.run(['radius', 'serve', '--port', '18120'])).toMatchObject({ code: 1, err: expect.stringMatching(/key/i) })
    renameSync(`${sandbox.db}.key.aside`, `${sandbox.db}.key`)
    const raw = new BetterSqlite3(sandbox.db)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()
    expect(await sandbox.run(['radius', 'serve', '--port', '18120'])).toMatchObject({ code: 1, err: expect.stringMatching(/newer version of 2FA Admin/) })
  })

  it('runs as a process: answers radclient, logs one line per request without secrets, and stops cleanly on SIGTERM', async () => {
    await sandbox.run(['user', 'add', '--name', 'Tom', '--email', 'tom@example.com', '--password-stdin'], PASSWORD)
    await sandbox.run(['radius', 'client', 'add', '--name', 'vpn', '--address', '127.0.0.1', '--secret-stdin'], SECRET)
    const port = await freeUdpPort()
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', sandbox.db, 'radius', 'serve', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('close', (code, signal) => done({ code, signal })))
    try {
      for (let i = 0; i < 200 && !log.includes('RADIUS service on'); i++) await new Promise((done) => setTimeout(done, 50))
      expect(log).toContain(`2FA Admin RADIUS service on 127.0.0.1:${port} for 1 client (vpn).`)
      const ask = (password: string) =>
        spawnSync('radclient', ['-x', '-r', '1', '-t', '3', `127.0.0.1:${port}`, 'auth', SECRET], { input: `User-Name=tom@example.com,User-Password="${password}",Message-Authenticator=0x00\n`, encoding: 'utf8', timeout: 10_000 })
      expect(ask(PASSWORD).stdout).toMatch(/Received Access-Accept/)
      expect(ask('a wrong password').stdout).toMatch(/Received Access-Reject/)
      child.kill('SIGTERM')
      expect(await exited).toEqual({ code: 0, signal: null })
      expect(log).toMatch(/ vpn 127\.0\.0\.1:\d+ tom@example\.com accept \d+ ms\n/)
      expect(log).toMatch(/ vpn 127\.0\.0\.1:\d+ tom@example\.com reject \(wrong password\) \d+ ms\n/)
      expect(log).toContain('Stopping the RADIUS service.')
      expect(log).not.toContain(PASSWORD)
      expect(log).not.toContain(SECRET)
      // Audited as the client.
      const audit = await sandbox.run(['audit', '--user', 'tom@example.com', '--json'])
      expect(JSON.parse(audit.out).map((entry: { actor: string; action: string }) => `${entry.actor} ${entry.action}`)).toEqual(
        expect.arrayContaining(['radius:vpn login.success', 'radius:vpn login.failure'])
      )
    } finally {
      child.kill('SIGKILL')
    }
  }, 60_000)
})
