// twofa-admin ldap set|show|test|sync against a real OpenLDAP (issue 10): the
// bind password from standard input only and never printed, the sync's JSON
// answer, and the exit status a cron job can trust.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'
import { startSlapd, stopAllSlapd, type Slapd } from '../helpers/slapd'

let server: Slapd
let sandbox: CliSandbox
beforeAll(async () => {
  server = await startSlapd({ users: 12, groups: { 'VPN Users': [1, 2], 'Admins; Ops': [3] } })
}, 30_000)
afterAll(stopAllSlapd)
beforeEach(async () => {
  sandbox = new CliSandbox('twofa-ldap-')
  expect((await sandbox.run(['init'])).code).toBe(0)
})
afterEach(() => sandbox.dispose())

const set = (extra: string[] = [], password: string | null = server.servicePassword) =>
  sandbox.run(['ldap', 'set', '--url', server.url, '--base-dn', server.baseDn, '--bind-dn', server.serviceDn, ...(password === null ? [] : ['--bind-password-stdin']), ...extra], password)

describe('twofa-admin ldap', () => {
  it('sets the connection from standard input, shows it without the password, warns about plain ldap, and tests it', async () => {
    const saved = await set()
    expect(saved).toMatchObject({ code: 0, out: `Directory connection saved: ${server.url}, base ${server.baseDn}.\n`, err: expect.stringMatching(/^Warning: This connection is not encrypted/) })
    const shown = await sandbox.run(['ldap', 'show', '--json'])
    expect(shown.out).not.toContain(server.servicePassword)
    expect(JSON.parse(shown.out)).toMatchObject({ url: server.url, bindDn: server.serviceDn, hasBindPassword: true, lastSyncAt: null })
    expect((await sandbox.run(['ldap', 'show'])).out).toMatch(/Last sync: never/)
    expect(await sandbox.run(['ldap', 'test'])).toMatchObject({ code: 0, out: 'The directory answered: 12 users would be synced.\n' })
  })

  it('prints the sync as JSON with exactly its counts and errors, and exits 0', async () => {
    await set()
    const dry = await sandbox.run(['ldap', 'sync', '--dry-run', '--json'])
    expect(JSON.parse(dry.out)).toEqual({ created: 12, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, errors: [] })
    expect(JSON.parse((await sandbox.run(['user', 'list', '--json'])).out)).toEqual([])
    const run = await sandbox.run(['ldap', 'sync', '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.out)).toEqual({ created: 12, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, errors: [] })
    expect((await sandbox.run(['ldap', 'sync'])).out).toBe('Synced 12 directory entries: 0 created, 0 updated, 0 disabled, 0 re-enabled, 12 unchanged.\n')
  })

  it('exits 1 and changes nothing when the sync would disable too many, and 0 with --allow-mass-disable', async () => {
    await set()
    await sandbox.run(['ldap', 'sync'])
    await set(['--user-filter', '(uid=user00001)'])
    const stopped = await sandbox.run(['ldap', 'sync'])
    expect(stopped.code).toBe(1)
    expect(stopped.out).toMatch(/^Nothing was changed: this sync would disable 11 of 12 directory users, more than 10%/)
    const allowed = await sandbox.run(['ldap', 'sync', '--allow-mass-disable', '--json'])
    expect(allowed.code).toBe(0)
    expect(JSON.parse(allowed.out)).toMatchObject({ disabled: 11, unchanged: 1 })
  })

  it('brings groups in with --sync-group (repeated), shows them, prints what the sync did to them, and refuses member changes', async () => {
    const vpn = server.groupDn('VPN Users')
    const ops = server.groupDn('Admins; Ops')
    expect((await set(['--sync-group', vpn, '--sync-group', ops])).out).toBe(`Directory connection saved: ${server.url}, base ${server.baseDn}; 2 groups to bring in.\n`)
    expect((await sandbox.run(['ldap', 'show'])).out).toContain(`Groups to bring in:\n  ${vpn}\n  ${ops}\n`)
    expect(JSON.parse((await sandbox.run(['ldap', 'show', '--json'])).out)).toMatchObject({ syncGroupDns: [vpn, ops] })
    const dry = await sandbox.run(['ldap', 'sync', '--dry-run'])
    expect(dry.out).toBe(
      `Dry run of 12 directory entries: would be 12 created, 0 updated, 0 disabled, 0 re-enabled, 0 unchanged. Nothing was changed.\nGroups:\n` +
        `  VPN Users (${vpn}): would be created, 2 would be added, 0 would be removed, 2 members\n` +
        `  Admins; Ops (${ops}): would be created, 1 would be added, 0 would be removed, 1 member\n`
    )
    const run = await sandbox.run(['ldap', 'sync', '--json'])
    expect(JSON.parse(run.out).groups).toEqual([
      { dn: vpn, name: 'VPN Users', created: true, added: 2, removed: 0, members: 2, notInDirectory: false },
      { dn: ops, name: 'Admins; Ops', created: true, added: 1, removed: 0, members: 1, notInDirectory: false }
    ])
    expect((await sandbox.run(['ldap', 'show'])).out).toMatch(/Last sync: .*\(12 created, 0 updated, 0 disabled, 0 re-enabled, 2 groups created, 3 group members added, 0 removed\)/)
    const refused = await sandbox.run(['group', 'members', 'add', 'VPN Users', 'user00005@example.com'])
    expect(refused).toMatchObject({ code: 1, err: 'twofa-admin: The members of VPN Users come from the directory: change them there; the next sync brings them here.\n' })
    expect((await sandbox.run(['group', 'delete', 'VPN Users'])).out).toMatch(/the next sync makes it again while it is among the groups to bring in/)
    // Saved again without --sync-group: no groups are brought in any more (the groups made stay).
    await set()
    expect((await sandbox.run(['ldap', 'show'])).out).toContain('Groups to bring in: none\n')
    expect((await set(['--sync-group', 'not a dn'])).err).toMatch(/Group 1 \(not a dn\) is not a DN/)
  })

  it('fails clearly: a wrong bind password, an unreachable server, no connection, a bad filter, a missing password', async () => {
    expect(await sandbox.run(['ldap', 'sync'])).toMatchObject({ code: 1, err: expect.stringMatching(/No directory connection is set up/) })
    expect((await set([], null)).err).toMatch(/Enter the bind password/)
    expect((await set(['--user-filter', '(&(uid=x)'])).err).toMatch(/not a valid LDAP filter/)
    await set([], 'wrong password')
    expect(await sandbox.run(['ldap', 'test'])).toMatchObject({ code: 1, err: expect.stringMatching(/bind|password|credentials/i) })
    await sandbox.run(['ldap', 'set', '--url', 'ldap://127.0.0.1:1', '--base-dn', server.baseDn, '--bind-dn', server.serviceDn, '--bind-password-stdin'], 'x')
    expect(await sandbox.run(['ldap', 'sync'])).toMatchObject({ code: 1, err: expect.stringMatching(/did not answer/) })
    expect((await sandbox.run(['ldap', 'frobnicate'])).code).toBe(2)
    expect((await sandbox.run(['ldap', 'set', '--url', server.url])).code).toBe(2)
  })
})
