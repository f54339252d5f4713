// Checks our enrollment against independent tools (Debian's zbarimg and
// oathtool, installed by .ci/run): what we produce must work with the outside world.
import { execFileSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PASSWORD, TestEnv, addUser } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

describe('interoperability', () => {
  it('the QR code decodes (zbarimg) to the otpauth URI, and oathtool computes codes we accept', async () => {
    await addUser(env, 'maria@example.com')
    // The real clock: oathtool reads the system time.
    env.clock.set(Date.now())
    const screen = env.screen()
    await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })
    const start = await screen.ok('startEnrollment')

    const png = join(env.dir, 'qr.png')
    writeFileSync(png, Buffer.from(start.qrDataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'))
    const decoded = execFileSync('zbarimg', ['--raw', '--quiet', png], { encoding: 'utf8' }).trim()
    expect(decoded).toBe(start.otpauthUri)

    const secret = new URL(decoded).searchParams.get('secret') ?? ''
    expect(secret).toBe(start.secretGroups.join(''))
    expect(secret).toMatch(/^[A-Z2-7]{32}$/) // 20 bytes, base32 without padding
    const code = execFileSync('oathtool', ['--totp', '--base32', secret], { encoding: 'utf8' }).trim()
    env.clock.set(Date.now())
    const done = await screen.ok('confirmEnrollment', { code })
    expect(done.recoveryCodes).toHaveLength(10)
  })

  it('creates the database, its WAL files and the key file for the owner only (0600)', async () => {
    await addUser(env, 'maria@example.com')
    env.core.local.ensureDataKey()
    expect(statSync(env.dbPath).mode & 0o777).toBe(0o600)
    expect(statSync(`${env.dbPath}-wal`).mode & 0o777).toBe(0o600)
    expect(statSync(`${env.dbPath}-shm`).mode & 0o777).toBe(0o600)
    expect(statSync(`${env.dbPath}.key`).mode & 0o777).toBe(0o600)
  })
})
