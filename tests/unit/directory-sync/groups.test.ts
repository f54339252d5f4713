// The groups to bring in (issue 12, part 2) against a real OpenLDAP with the
// memberof overlay: groupOfNames become groups here with their members, a
// re-sync follows members added and removed in the directory, enforcing such a
// group makes its members pending with exact counts, a dry run changes nothing,
// the members cannot be changed here, bad selections are refused, and a DN the
// directory does not have makes no group (and a warning).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DirectoryConnectionInput } from '../../../src/shared/contract'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { setUpAdmin, TestEnv } from '../helpers/harness'
import { connectionTo, type Slapd, startSlapd, stopAllSlapd } from '../helpers/slapd'

afterEach(stopAllSlapd)

const connection = connectionTo

async function sync(env: TestEnv, dryRun = false) {
  const result = await env.core.dispatch('syncDirectory', CLI_CALLER, { dryRun })
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value
}

/** Everything a sync could change about groups and users, and the audit log's length. */
function snapshot(env: TestEnv): Record<string, unknown> {
  const all = (sql: string) => env.db.prepare(sql).all()
  return {
    users: all('SELECT id, email, disabled, group_set, tfa_class FROM users ORDER BY id'),
    groups: all('SELECT * FROM groups ORDER BY id'),
    members: all('SELECT * FROM group_members ORDER BY group_id, user_id'),
    counts: all('SELECT * FROM class_counts ORDER BY tfa_class'),
    audit: env.db.prepare('SELECT count(*) FROM audit_log').pluck().get()
  }
}

const groupRow = (env: TestEnv, name: string) =>
  env.db.prepare('SELECT id, name, source, directory_dn AS dn FROM groups WHERE name = ?').get(name) as { id: number; name: string; source: string; dn: string } | undefined

const memberEmails = (env: TestEnv, groupId: number): string[] =>
  env.db.prepare('SELECT u.email FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.email').pluck().all(groupId) as string[]

const email = (n: number) => `user${String(n).padStart(5, '0')}@example.com`

describe('groups brought in from OpenLDAP (groupOfNames, memberOf from the overlay)', () => {
  let server: Slapd
  let env: TestEnv
  let vpn: string
  beforeEach(async () => {
    server = await startSlapd({ users: 20, groups: { 'VPN Users': [1, 2, 3], 'Admins, Ops': [4, 5], Sales: [6, 7], Nobody: [20] } })
    env = new TestEnv()
    // Written as a person might: another case, spaces after the commas. memberOf says cn=VPN Users,ou=groups,...
    vpn = 'CN=VPN Users, OU=groups, DC=example, DC=com'
    await env.cli('setDirectoryConnection', connection(server, { syncGroupDns: [vpn, server.groupDn('Admins, Ops'), server.groupDn('Sales')] }))
  }, 30_000)
  afterEach(() => env.dispose())

  it('makes a group of each with exactly its members, named after the first RDN, beside a local group of the same name', async () => {
    const local = await env.cli('createGroup', { name: 'Sales' })
    const result = await sync(env)
    expect(result).toMatchObject({ applied: true, created: 20, groupsCreated: 3, membersAdded: 7, membersRemoved: 0 })
    expect(result.groups).toEqual([
      { dn: vpn, name: 'VPN Users', created: true, added: 3, removed: 0, members: 3, notInDirectory: false },
      { dn: server.groupDn('Admins, Ops'), name: 'Admins, Ops', created: true, added: 2, removed: 0, members: 2, notInDirectory: false },
      { dn: server.groupDn('Sales'), name: 'Sales (directory)', created: true, added: 2, removed: 0, members: 2, notInDirectory: false }
    ])
    expect(groupRow(env, 'VPN Users')).toMatchObject({ source: 'ldap', dn: vpn })
    expect(memberEmails(env, groupRow(env, 'VPN Users')!.id)).toEqual([email(1), email(2), email(3)])
    expect(memberEmails(env, groupRow(env, 'Admins, Ops')!.id)).toEqual([email(4), email(5)])
    expect(memberEmails(env, groupRow(env, 'Sales (directory)')!.id)).toEqual([email(6), email(7)])
    // The local group is not the directory's: untouched. Nobody was not selected: no group.
    expect(memberEmails(env, local.id)).toEqual([])
    expect(groupRow(env, 'Nobody')).toBeUndefined()
    // The users' lists show the groups (kept by the triggers, never written by hand).
    const listed = await env.cli('listUsers', { query: email(4) })
    expect(listed.users.find((user) => user.email === email(4))?.groups).toEqual(['Admins, Ops'])
    // Audited: counts only in the sync's entry, one entry per group made.
    const synced = JSON.parse(env.db.prepare("SELECT details FROM audit_log WHERE action = 'directory.synced'").pluck().get() as string)
    expect(synced).toMatchObject({ groupsCreated: 3, membersAdded: 7, membersRemoved: 0 })
    expect(env.db.prepare("SELECT target FROM audit_log WHERE action = 'group.created' AND actor = 'cli' ORDER BY id").pluck().all()).toEqual([
      'Sales',
      'VPN Users',
      'Admins, Ops',
      'Sales (directory)'
    ])

    const again = await sync(env)
    expect(again).toMatchObject({ groupsCreated: 0, membersAdded: 0, membersRemoved: 0, unchanged: 20 })
    expect(again.groups.map((group) => [group.name, group.created, group.added, group.removed, group.members])).toEqual([
      ['VPN Users', false, 0, 0, 3],
      ['Admins, Ops', false, 0, 0, 2],
      ['Sales (directory)', false, 0, 0, 2]
    ])
    const view = await env.cli('getDirectoryConnection')
    expect(view?.syncGroupDns).toEqual([vpn, server.groupDn('Admins, Ops'), server.groupDn('Sales')])
    expect(view?.lastSync).toMatchObject({ groupsCreated: 0, membersAdded: 0 })
  }, 30_000)

  it('follows members added and removed in the directory; a user who left stays a member, disabled', async () => {
    await sync(env)
    await server.modify(`dn: ${server.groupDn('VPN Users')}\nchangetype: modify\nadd: member\nmember: ${server.userDn(10)}\n-\ndelete: member\nmember: ${server.userDn(1)}\n\n`)
    await server.remove(server.userDn(2))
    const result = await sync(env)
    expect(result).toMatchObject({ disabled: 1, membersAdded: 1, membersRemoved: 1, groupsCreated: 0 })
    expect(result.groups[0]).toEqual({ dn: vpn, name: 'VPN Users', created: false, added: 1, removed: 1, members: 3, notInDirectory: false })
    expect(memberEmails(env, groupRow(env, 'VPN Users')!.id)).toEqual([email(10), email(2), email(3)].sort())
    expect(env.db.prepare('SELECT disabled FROM users WHERE email = ?').pluck().get(email(2))).toBe(1)
    const changed = env.db.prepare("SELECT details FROM audit_log WHERE action = 'group.members-changed' AND target = 'VPN Users'").pluck().all() as string[]
    expect(changed.map((details) => JSON.parse(details))).toEqual([{ source: 'ldap', added: 1, removed: 1 }])
  }, 30_000)

  it('enforcing a directory group makes its members pending, with exact counts, and follows the next sync', async () => {
    await sync(env)
    const group = groupRow(env, 'VPN Users')!
    const enforced = await env.cli('enforceGroup', { groupId: group.id, graceDays: 7 })
    expect(enforced).toMatchObject({ source: 'ldap', enforced: true, members: 3, distribution: { total: 3, pending: 3, active: 0, inactive: 0, overdue: 0 } })
    expect((await env.cli('listUsers', { groupId: group.id, status: 'pending', limit: 10 })).users.map((user) => user.email)).toEqual([email(1), email(2), email(3)])
    expect((await env.cli('listUsers', { status: 'pending', limit: 1 })).total).toBe(3)

    await server.modify(`dn: ${server.groupDn('VPN Users')}\nchangetype: modify\nadd: member\nmember: ${server.userDn(11)}\nmember: ${server.userDn(12)}\n-\ndelete: member\nmember: ${server.userDn(3)}\n\n`)
    await sync(env)
    const after = await env.cli('getGroup', { groupId: group.id })
    const recount = env.db.prepare('SELECT count(*) FROM group_members WHERE group_id = ?').pluck().get(group.id)
    expect(after).toMatchObject({ members: 4, distribution: { total: 4, pending: 4 } })
    expect(recount).toBe(4)
    expect((await env.cli('listUsers', { status: 'pending', limit: 1 })).total).toBe(4)
    // User 3 left the group: no longer has to activate.
    expect((await env.cli('listUsers', { query: email(3) })).users[0]).toMatchObject({ status: 'inactive', groups: [] })
    // It can be the exemption group and be revoked like any group.
    await env.cli('setPolicyExemptionGroup', { groupId: group.id })
    expect(await env.cli('revokeGroupEnforcement', { groupId: group.id })).toMatchObject({ enforced: false, exemptFromPolicy: true })
  }, 30_000)

  it('a dry run says what would change and changes nothing, also once the groups exist', async () => {
    const before = snapshot(env)
    const preview = await sync(env, true)
    expect(preview).toMatchObject({ applied: false, dryRun: true, groupsCreated: 3, membersAdded: 7 })
    expect(preview.groups[0]).toMatchObject({ name: 'VPN Users', created: true, added: 3, members: 3 })
    expect(snapshot(env)).toEqual(before)

    await sync(env)
    await server.modify(`dn: ${server.groupDn('Sales')}\nchangetype: modify\ndelete: member\nmember: ${server.userDn(6)}\n\n`)
    const synced = snapshot(env)
    const second = await sync(env, true)
    expect(second.groups[2]).toMatchObject({ name: 'Sales', created: false, added: 0, removed: 1, members: 1 })
    expect(snapshot(env)).toEqual(synced)
  }, 30_000)

  it('refuses changing the members here (app and command line alike); deleting is allowed and the next sync makes it again', async () => {
    await setUpAdmin(env)
    await sync(env)
    const group = groupRow(env, 'VPN Users')!
    for (const method of ['addGroupMembers', 'removeGroupMembers'] as const) {
      for (const dryRun of [false, true]) {
        const refused = await env.core.dispatch(method, CLI_CALLER, { groupId: group.id, emails: [email(9)], dryRun })
        expect(refused).toEqual({
          ok: false,
          error: { code: 'GROUP_FROM_DIRECTORY', message: 'The members of VPN Users come from the directory: change them there; the next sync brings them here.' }
        })
      }
    }
    expect(memberEmails(env, group.id)).toEqual([email(1), email(2), email(3)])

    await env.cli('deleteGroup', { groupId: group.id })
    expect(groupRow(env, 'VPN Users')).toBeUndefined()
    const result = await sync(env)
    expect(result.groups[0]).toMatchObject({ name: 'VPN Users', created: true, added: 3 })
  }, 30_000)

  it('takes out a member who is not from the directory (the members are exactly the directory\'s)', async () => {
    await sync(env)
    const group = groupRow(env, 'VPN Users')!
    const local = await env.cli('createUser', { name: 'Local', email: 'local@example.com', role: 'user', password: 'correct horse battery' })
    // Only a hand-written row can put them there: the contract refuses.
    env.db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)').run(group.id, local.id)
    expect((await sync(env)).groups[0]).toMatchObject({ removed: 1, members: 3 })
    expect(memberEmails(env, group.id)).not.toContain('local@example.com')
  }, 30_000)

  it('leaves a group as it is once it is no longer among the groups to bring in, or no longer in the directory', async () => {
    await sync(env)
    await env.cli('setDirectoryConnection', connection(server, { syncGroupDns: [server.groupDn('Sales')] }))
    await server.modify(`dn: ${server.groupDn('VPN Users')}\nchangetype: modify\ndelete: member\nmember: ${server.userDn(1)}\n\n`)
    await server.remove(server.groupDn('Sales'))
    const result = await sync(env)
    expect(result.groups).toEqual([{ dn: server.groupDn('Sales'), name: 'Sales', created: false, added: 0, removed: 0, members: 2, notInDirectory: true }])
    // Not a problem of an entry: the result's groups say it (and the connection test warns).
    expect(result.errors).toEqual([])
    expect(memberEmails(env, groupRow(env, 'VPN Users')!.id)).toEqual([email(1), email(2), email(3)])
    expect(memberEmails(env, groupRow(env, 'Sales')!.id)).toEqual([email(6), email(7)])
  }, 30_000)

  it('a DN the directory does not have: a warning in the test, no group made (the result says so); an empty group gets a warning too', async () => {
    const missing = 'cn=No Such Group,ou=groups,dc=example,dc=com'
    // Only user 1 is read: Sales exists but none of its members is read.
    const settings = connection(server, { userFilter: '(uid=user00001)', syncGroupDns: [missing, server.groupDn('Sales')] })
    const tested = await env.cli('testDirectoryConnection', { settings })
    expect(tested.warnings).toEqual(
      expect.arrayContaining([
        `The group ${missing} (to bring in) is not in the directory, or the bind account cannot see it: a sync makes no group of it.`,
        `No user read is a member of ${server.groupDn('Sales')} (to bring in): its group here would be empty. If it has members, the server may lack memberOf (the memberof overlay).`
      ])
    )
    await env.cli('setDirectoryConnection', settings)
    const result = await sync(env)
    expect(result.groups).toEqual([
      { dn: missing, name: null, created: false, added: 0, removed: 0, members: 0, notInDirectory: true },
      { dn: server.groupDn('Sales'), name: 'Sales', created: true, added: 0, removed: 0, members: 0, notInDirectory: false }
    ])
    expect(result.errors).toEqual([])
    expect(env.db.prepare("SELECT name FROM groups WHERE source = 'ldap'").pluck().all()).toEqual(['Sales'])
  }, 30_000)
})

describe('what the groups to bring in accept', () => {
  let env: TestEnv
  beforeEach(() => {
    env = new TestEnv()
  })
  afterEach(() => env.dispose())

  const base: DirectoryConnectionInput = { preset: 'openldap', url: 'ldap://127.0.0.1:389', baseDn: 'dc=example,dc=com', bindDn: '' }

  it('refuses a malformed DN, more than 50, the same group twice, hidden characters: clearly, on the field, changing nothing', async () => {
    await env.cli('setDirectoryConnection', { ...base, syncGroupDns: ['cn=Kept,dc=example,dc=com'] })
    const before = await env.cli('getDirectoryConnection')
    const many = Array.from({ length: 51 }, (_, i) => `cn=group ${i},dc=example,dc=com`)
    const cases: [string[], RegExp][] = [
      [['cn=ok,dc=example,dc=com', 'VPN Users'], /^Group 2 \(VPN Users\) is not a DN: write it like cn=VPN Users,ou=groups,dc=example,dc=com\.$/],
      [['cn=a,,dc=x'], /Group 1 .* is not a DN/],
      [['cn=a\\zz,dc=x'], /is not a DN/],
      [['=x,dc=x'], /is not a DN/],
      [many, /^Bring in at most 50 groups \(this lists 51\)\.$/],
      [['cn=Sales,dc=example,dc=com', 'CN=sales , DC=Example,dc=com'], /^Group 2 is the same group as group 1/],
      [['cn=a\u202e,dc=x'], /control or text-direction characters/],
      [['cn=a\\00,dc=x'], /is not a DN/]
    ]
    for (const [syncGroupDns, message] of cases) {
      const refused = await env.core.dispatch('setDirectoryConnection', CLI_CALLER, { ...base, syncGroupDns })
      expect(refused, syncGroupDns.join(' | ').slice(0, 80)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'syncGroupDns', message: expect.stringMatching(message) } })
    }
    expect(await env.cli('getDirectoryConnection')).toEqual(before)
  })

  it('takes 50, blank lines dropped, and DNs with escapes', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `cn=group ${i},dc=example,dc=com`)
    expect((await env.cli('setDirectoryConnection', { ...base, syncGroupDns: [...fifty, '  '] })).syncGroupDns).toHaveLength(50)
    const escaped = ['cn=Admins\\, Ops,ou=groups,dc=example,dc=com', 'cn=R\\C3\\A9seau+ou=x,dc=example,dc=com', 'cn=\\#hash,dc=x']
    expect((await env.cli('setDirectoryConnection', { ...base, syncGroupDns: escaped })).syncGroupDns).toEqual(escaped)
    expect((await env.cli('setDirectoryConnection', base)).syncGroupDns).toEqual([])
  })
})

describe('groups brought in from an Active Directory shaped directory', () => {
  it('reads memberOf of AD entries (direct groups only) and keeps a directory-disabled member', async () => {
    const server = await startSlapd({ users: 4, activeDirectory: true, disabledUsers: [2], groups: { 'VPN Users': [1, 2] } })
    const env = new TestEnv()
    try {
      await env.cli('setDirectoryConnection', connection(server, { preset: 'active-directory', syncGroupDns: [server.groupDn('VPN Users')] }))
      const result = await sync(env)
      expect(result.groups).toEqual([{ dn: server.groupDn('VPN Users'), name: 'VPN Users', created: true, added: 2, removed: 0, members: 2, notInDirectory: false }])
      expect(memberEmails(env, groupRow(env, 'VPN Users')!.id)).toEqual([email(1), email(2)])
      expect(env.db.prepare('SELECT disabled FROM users WHERE email = ?').pluck().get(email(2))).toBe(1)
    } finally {
      env.dispose()
    }
  }, 30_000)
})

describe('a directory group of 1,000 people in a directory of 5,000', () => {
  it('brings them all in in one sync, and follows half of them leaving the group, with exact counts', async () => {
    const everyone = Array.from({ length: 1000 }, (_, i) => i * 5 + 1)
    const server = await startSlapd({ users: 5000, groups: { Everyone: everyone } })
    const env = new TestEnv()
    try {
      await env.cli('setDirectoryConnection', connection(server, { syncGroupDns: [server.groupDn('Everyone')] }))
      let started = Date.now()
      expect((await sync(env)).groups[0]).toMatchObject({ created: true, added: 1000, members: 1000 })
      const first = Date.now() - started
      const group = groupRow(env, 'Everyone')!
      await env.cli('enforceGroup', { groupId: group.id })
      const leaving = everyone.filter((n) => n % 2 === 0).map((n) => `member: ${server.userDn(n)}`)
      await server.modify(`dn: ${server.groupDn('Everyone')}\nchangetype: modify\ndelete: member\n${leaving.join('\n')}\n\n`)
      started = Date.now()
      expect((await sync(env)).groups[0]).toMatchObject({ created: false, added: 0, removed: 500, members: 500 })
      const second = Date.now() - started
      expect(await env.cli('getGroup', { groupId: group.id })).toMatchObject({ members: 500, distribution: { total: 500, pending: 500 } })
      expect((await env.cli('listUsers', { status: 'pending', limit: 1 })).total).toBe(500)
      expect((await env.cli('listUsers', { status: 'inactive', limit: 1 })).total).toBe(4500)
      // Generous bounds: what matters is that it does not grow with the square of the group.
      expect(first + second).toBeLessThan(30_000)
    } finally {
      env.dispose()
    }
  }, 90_000)
})
