// RADIUS clients at rest (issue 11): the shared secret is sealed and bound to
// its client, admins only, and adding or removing one needs a recent password
// or code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REAUTH_WINDOW_MS } from '../../../src/main/core/sessions'
import { addUser, PASSWORD, setUpAdmin, START, TestEnv } from '../helpers/harness'

const SECRET = 'a shared secret of the vpn gateway'
let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

describe('RADIUS clients', () => {
  it('keep their secret sealed, and a sealed secret moved to another client does not open', async () => {
    await env.cli('addRadiusClient', { name: 'vpn', address: '192.0.2.10', secret: SECRET, require2fa: false })
    await env.cli('addRadiusClient', { name: 'wifi', address: '10.0.0.0/8', secret: 'the wifi controller secret 1', require2fa: true })
    const rows = env.db.prepare('SELECT name, secret_enc FROM radius_clients ORDER BY name').all() as { name: string; secret_enc: Buffer }[]
    expect(rows.every((row) => !row.secret_enc.includes(Buffer.from(SECRET)))).toBe(true)
    expect(env.core.local.loadRadiusClients().map((client) => [client.name, client.secret.toString()])).toEqual([
      ['vpn', SECRET],
      ['wifi', 'the wifi controller secret 1']
    ])
    env.db.prepare("UPDATE radius_clients SET secret_enc = ? WHERE name = 'wifi'").run(rows[0]!.secret_enc)
    expect(() => env.core.local.loadRadiusClients()).toThrow(/RADIUS client wifi could not be decrypted/)
  })

  it('match their address or block, and an IPv4 sender seen by a dual-stack socket', async () => {
    await env.cli('addRadiusClient', { name: 'wifi', address: '10.0.0.0/8', secret: SECRET, require2fa: false })
    const [wifi] = env.core.local.loadRadiusClients()
    expect(['10.1.2.3', '::ffff:10.9.9.9'].map((ip) => wifi!.matches(ip))).toEqual([true, true])
    expect(['11.0.0.1', '::1', 'not an ip', '::ffff:11.0.0.1'].map((ip) => wifi!.matches(ip))).toEqual([false, false, false, false])
  })

  it('generate a secret shown once when none is given, and are for administrators with a recent password or code', async () => {
    const { screen } = await setUpAdmin(env)
    const added = await screen.ok('addRadiusClient', { name: 'vpn', address: '192.0.2.10', require2fa: false })
    expect(added.secret).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(JSON.stringify(await screen.ok('listRadiusClients'))).not.toContain(added.secret!)
    await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await maria.fail('listRadiusClients')).code).toBe('FORBIDDEN')
    env.clock.set(START + REAUTH_WINDOW_MS + 1)
    await screen.ok('getMyAccount')
    expect((await screen.fail('addRadiusClient', { name: 'wifi', address: '10.0.0.0/8', require2fa: false })).code).toBe('REAUTH_REQUIRED')
    expect((await screen.fail('removeRadiusClient', { name: 'vpn' })).code).toBe('REAUTH_REQUIRED')
    expect((await screen.ok('listRadiusClients')).map((client) => client.name)).toEqual(['vpn'])
  })
})
