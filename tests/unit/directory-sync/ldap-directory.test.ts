// The LDAP directory client against a real OpenLDAP (tests/unit/helpers/slapd.ts): paged reads
// past the server's size limit, group filters with awkward DNs, binds, outages in the middle of a
// read, AD-shaped entries, TLS. One slapd per describe block; every step bounded.
import { createServer, type Server } from 'node:net'
import { Client, SizeLimitExceededError } from 'ldapts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PLAIN_LDAP_WARNING } from '../../../src/shared/directory-presets'
import { AppError } from '../../../src/shared/errors'
import {
  authenticateDirectoryUser,
  guidFromBytes,
  PRESETS,
  readDirectory,
  searchFilter,
  testDirectory,
  type DirectoryEntry,
  type DirectoryPage,
  type DirectorySettings
} from '../../../src/main/core/directory-sync/ldap-directory'
import { startSlapd, stopAllSlapd, type Slapd } from '../helpers/slapd'

afterAll(stopAllSlapd)

function settingsFor(server: Slapd, overrides: Partial<DirectorySettings> = {}): DirectorySettings {
  return {
    preset: 'openldap',
    url: server.url,
    baseDn: server.baseDn,
    bindDn: server.serviceDn,
    bindPassword: server.servicePassword,
    userFilter: null,
    groupDn: null,
    syncGroupDns: [],
    emailAttribute: 'mail',
    nameAttribute: 'cn',
    loginAttribute: 'uid',
    startTls: false,
    caFile: null,
    timeoutMs: 5_000,
    ...overrides
  }
}

function adSettingsFor(server: Slapd, overrides: Partial<DirectorySettings> = {}): DirectorySettings {
  const preset = PRESETS['active-directory']
  return settingsFor(server, {
    preset: 'active-directory',
    emailAttribute: preset.emailAttribute,
    nameAttribute: preset.nameAttribute,
    loginAttribute: preset.loginAttribute,
    ...overrides
  })
}

async function readPages(settings: DirectorySettings, onProgress?: (read: number) => void): Promise<DirectoryPage[]> {
  const pages: DirectoryPage[] = []
  for await (const page of readDirectory(settings, onProgress)) pages.push(page)
  return pages
}

const entriesOf = (pages: DirectoryPage[]): DirectoryEntry[] => pages.flatMap((page) => page.entries)

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function appErrorOf(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return typeof address === 'object' && address !== null ? address.port : 0
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const ODD_GROUP = 'vpn (ops) *\\ users, eu'

describe('a directory of 5,000 people with a size limit of 500', () => {
  let server: Slapd

  beforeAll(async () => {
    server = await startSlapd({ users: 5_000, sizeLimit: 500, groups: { 'vpn-users': range(1, 25), [ODD_GROUP]: [7, 4_999] } })
  }, 20_000)

  it('truncates an unpaged search at 500 for the service account: the limit the client must page past', async () => {
    const client = new Client({ url: server.url, timeout: 5_000, connectTimeout: 5_000 })
    try {
      await client.bind(server.serviceDn, server.servicePassword)
      await expect(client.search(server.baseDn, { filter: '(objectClass=inetOrgPerson)', attributes: ['uid'] })).rejects.toBeInstanceOf(SizeLimitExceededError)
    } finally {
      await client.unbind()
    }
  })

  it('reads all 5,000 in pages of at most 200, each with its entryUUID, and reports progress', async () => {
    const progress: number[] = []
    const started = Date.now()
    const pages = await readPages(settingsFor(server), (read) => progress.push(read))
    const entries = entriesOf(pages)
    expect(entries).toHaveLength(5_000)
    expect(pages.length).toBeGreaterThanOrEqual(25)
    expect(Math.max(...pages.map((page) => page.entries.length))).toBeLessThanOrEqual(200)
    expect(pages.flatMap((page) => page.problems)).toEqual([])
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(5_000)
    expect(new Set(entries.map((entry) => entry.login)).size).toBe(5_000)
    expect(progress.at(-1)).toBe(5_000)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(entries.find((entry) => entry.login === 'user00042')).toEqual({
      dn: server.userDn(42),
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      login: 'user00042',
      email: 'user00042@example.com',
      name: 'User 00042',
      disabled: false,
      // Not asked for: no groups are brought in.
      memberOf: [],
      memberOfComplete: true
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('reads in pages of the size asked for', async () => {
    const pages = await readPages(settingsFor(server, { pageSize: 499 }))
    expect(entriesOf(pages)).toHaveLength(5_000)
    expect(pages[0]?.entries).toHaveLength(499)
  })

  it('reads only the members of a group (memberOf from the memberof overlay)', async () => {
    expect(server.memberOf).toBe(true)
    const entries = entriesOf(await readPages(settingsFor(server, { groupDn: server.groupDn('vpn-users') })))
    expect(entries.map((entry) => entry.login).sort()).toEqual(range(1, 25).map((n) => server.userLogin(n)))
  })

  it('escapes a group DN full of filter characters, and reads exactly its members', async () => {
    const groupDn = server.groupDn(ODD_GROUP)
    expect(groupDn).toBe('cn=vpn (ops) *\\\\ users\\, eu,ou=groups,dc=example,dc=com')
    expect(PRESETS.openldap.groupFilter(groupDn)).toBe('(memberOf=cn=vpn \\28ops\\29 \\2a\\5c\\5c users\\5c, eu,ou=groups,dc=example,dc=com)')
    const entries = entriesOf(await readPages(settingsFor(server, { groupDn })))
    expect(entries.map((entry) => entry.login).sort()).toEqual(['user00007', 'user04999'])
  })

  it('reads nobody for a group that does not exist, and testDirectory says why', async () => {
    const settings = settingsFor(server, { groupDn: server.groupDn('nobody-here') })
    expect(entriesOf(await readPages(settings))).toEqual([])
    const report = await testDirectory(settings)
    expect(report.entries).toBe(0)
    expect(report.warnings.join('\n')).toContain('does not exist')
  })

  it('tests the settings with a count and the warnings that matter', async () => {
    const report = await testDirectory(settingsFor(server))
    expect(report.entries).toBe(5_000)
    expect(report.warnings).toEqual([PLAIN_LDAP_WARNING])
  })

  it('refuses a wrong bind password with DIRECTORY_BIND_FAILED, never showing the password', async () => {
    const settings = settingsFor(server, { bindPassword: 'Wrong-Secret-42' })
    const error = await appErrorOf(readPages(settings))
    expect(error.code).toBe('DIRECTORY_BIND_FAILED')
    expect(error.message).toContain(server.url)
    expect(error.message).toBe(`The directory at ${server.url} refused the bind DN ${server.serviceDn} and its password (LDAP 49 invalid credentials). Check both; nothing was changed.`)
    expect(error.message).not.toContain('Wrong-Secret-42')
    expect((await appErrorOf(testDirectory(settings))).code).toBe('DIRECTORY_BIND_FAILED')
  })

  it('refuses a bind DN without its password before connecting (an unauthenticated bind reads as anonymous)', async () => {
    const error = await appErrorOf(readPages(settingsFor(server, { bindPassword: '' })))
    expect([error.code, error.field]).toEqual(['VALIDATION', 'bindPassword'])
  })

  it('says DIRECTORY_SEARCH_FAILED for a base DN that does not exist', async () => {
    const error = await appErrorOf(readPages(settingsFor(server, { baseDn: 'ou=nowhere,dc=example,dc=com' })))
    expect(error.code).toBe('DIRECTORY_SEARCH_FAILED')
    expect(error.message).toContain('ou=nowhere,dc=example,dc=com')
  })

  it('refuses a broken user filter before connecting, and takes a filter without parentheses', async () => {
    const error = await appErrorOf(readPages(settingsFor(server, { userFilter: '(&(uid=a)' })))
    expect([error.code, error.field]).toEqual(['VALIDATION', 'userFilter'])
    const entries = entriesOf(await readPages(settingsFor(server, { userFilter: 'uid=user0001*' })))
    expect(entries).toHaveLength(10)
  })

  it('stops cleanly when the caller stops reading after one page', async () => {
    let pagesSeen = 0
    for await (const page of readDirectory(settingsFor(server))) {
      expect(page.entries).toHaveLength(200)
      pagesSeen += 1
      break
    }
    expect(pagesSeen).toBe(1)
    expect(entriesOf(await readPages(settingsFor(server, { userFilter: '(uid=user0000*)' })))).toHaveLength(9)
  })

  it('checks a user password by binding: right, wrong, empty, and after a change in the directory', async () => {
    const settings = settingsFor(server)
    const dn = server.userDn(3)
    expect(await authenticateDirectoryUser(settings, dn, server.userPassword(3))).toBe(true)
    expect(await authenticateDirectoryUser(settings, dn, 'not-it')).toBe(false)
    expect(await authenticateDirectoryUser(settings, dn, '')).toBe(false)
    expect(await authenticateDirectoryUser(settings, '', server.userPassword(3))).toBe(false)
    expect(await authenticateDirectoryUser(settings, 'EXTERNAL', server.userPassword(3))).toBe(false)
    expect(await authenticateDirectoryUser(settings, 'uid=ghost,ou=people,dc=example,dc=com', 'anything')).toBe(false)
    await server.setPassword(dn, 'changed-in-ldap')
    expect(await authenticateDirectoryUser(settings, dn, server.userPassword(3))).toBe(false)
    expect(await authenticateDirectoryUser(settings, dn, 'changed-in-ldap')).toBe(true)
  })

  it('answers 40 password checks at once, right and wrong, each correctly', async () => {
    const settings = settingsFor(server)
    const attempts = range(100, 139).map((n) => ({ n, right: n % 2 === 0 }))
    const answers = await Promise.all(attempts.map(({ n, right }) => authenticateDirectoryUser(settings, server.userDn(n), right ? server.userPassword(n) : `${server.userPassword(n)}x`)))
    expect(answers).toEqual(attempts.map(({ right }) => right))
  })
})

describe('a directory that goes away', () => {
  let server: Slapd

  beforeAll(async () => {
    server = await startSlapd({ users: 2_000 })
  }, 20_000)

  it('throws DIRECTORY_UNAVAILABLE when the server is killed between pages, never a short read', async () => {
    const read: DirectoryEntry[] = []
    const reading = (async () => {
      for await (const page of readDirectory(settingsFor(server))) {
        read.push(...page.entries)
        if (read.length === 200) await server.kill()
      }
    })()
    const error = await appErrorOf(reading)
    expect(error.code).toBe('DIRECTORY_UNAVAILABLE')
    expect(error.message).toContain('nothing was changed')
    expect(read).toHaveLength(200)
    await server.restart()
    expect(entriesOf(await readPages(settingsFor(server)))).toHaveLength(2_000)
  })

  it('throws DIRECTORY_UNAVAILABLE when the server dies while a page is on its way', async () => {
    const pages = readDirectory(settingsFor(server, { pageSize: 500 }))
    await pages.next()
    // Settled at once (as a value): it may fail while the kill is awaited, before anyone looks.
    const inFlight = pages.next().then(
      () => null,
      (error: unknown) => error
    )
    await server.kill()
    // The second of four pages may have landed before the kill; then the third must fail.
    const failedInFlight = await inFlight
    const error = failedInFlight !== null ? await appErrorOf(Promise.reject(failedInFlight)) : await appErrorOf(pages.next())
    expect(error.code).toBe('DIRECTORY_UNAVAILABLE')
    await server.restart()
  })

  it('says DIRECTORY_UNAVAILABLE (ECONNREFUSED) for a port where nothing listens, for every call', async () => {
    const url = `ldap://127.0.0.1:${await freePort()}`
    const settings = settingsFor(server, { url })
    const error = await appErrorOf(readPages(settings))
    expect(error.code).toBe('DIRECTORY_UNAVAILABLE')
    expect(error.message).toBe(`The directory at ${url} did not answer (ECONNREFUSED). Check the address and that the server runs; nothing was changed.`)
    expect((await appErrorOf(testDirectory(settings))).code).toBe('DIRECTORY_UNAVAILABLE')
    expect((await appErrorOf(authenticateDirectoryUser(settings, server.userDn(1), 'pw'))).code).toBe('DIRECTORY_UNAVAILABLE')
  })

  it('gives up on a server that accepts the connection and never answers, within the timeout', async () => {
    const silent: Server = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const address = silent.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      const settings = settingsFor(server, { url: `ldap://127.0.0.1:${port}`, timeoutMs: 300 })
      const started = Date.now()
      expect((await appErrorOf(readPages(settings))).code).toBe('DIRECTORY_UNAVAILABLE')
      expect((await appErrorOf(authenticateDirectoryUser(settings, server.userDn(1), server.userPassword(1)))).code).toBe('DIRECTORY_UNAVAILABLE')
      // The TLS handshake is bounded too: ldaps:// and StartTLS.
      expect((await appErrorOf(readPages({ ...settings, url: `ldaps://127.0.0.1:${port}` }))).code).toBe('DIRECTORY_UNAVAILABLE')
      expect((await appErrorOf(readPages({ ...settings, startTls: true }))).code).toBe('DIRECTORY_UNAVAILABLE')
      expect(Date.now() - started).toBeLessThan(4_000)
    } finally {
      silent.close()
    }
  })

  it('refuses an address that is not ldap:// or ldaps://', async () => {
    const error = await appErrorOf(readPages(settingsFor(server, { url: 'http://127.0.0.1:389' })))
    expect([error.code, error.field]).toEqual(['VALIDATION', 'url'])
  })
})

describe('entries the app cannot use', () => {
  let server: Slapd

  beforeAll(async () => {
    server = await startSlapd({ users: 3 })
    await server.add(
      'dn: cn=No Login,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\ncn: No Login\nsn: Login\nmail: nologin@example.com\n\n' +
        'dn: uid=nomail,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: nomail\ncn: No Mail\nsn: Mail\n\n'
    )
  }, 20_000)

  it('reports an entry without a login as a problem beside the page, and keeps one without email', async () => {
    const pages = await readPages(settingsFor(server))
    expect(entriesOf(pages).map((entry) => entry.login).sort()).toEqual(['nomail', 'user00001', 'user00002', 'user00003'])
    expect(entriesOf(pages).find((entry) => entry.login === 'nomail')?.email).toBeNull()
    expect(pages.flatMap((page) => page.problems)).toEqual([
      { dn: 'cn=No Login,ou=people,dc=example,dc=com', message: 'Skipped cn=No Login,ou=people,dc=example,dc=com: it has no uid, so nobody could sign in as it.' }
    ])
    const report = await testDirectory(settingsFor(server))
    expect(report.entries).toBe(4)
    expect(report.warnings).toContain('1 entry would be skipped:')
    expect(report.warnings).toContain('1 of 4 entries have no mail.')
  })

  it('sees what changed in the directory on the next read', async () => {
    await server.modify(`dn: ${server.userDn(1)}\nchangetype: modify\nreplace: mail\nmail: renamed@example.com\n\n`)
    await server.remove(server.userDn(2))
    const entries = entriesOf(await readPages(settingsFor(server)))
    expect(entries.find((entry) => entry.login === 'user00001')?.email).toBe('renamed@example.com')
    expect(entries.map((entry) => entry.login)).not.toContain('user00002')
  })
})

describe('an Active Directory shaped directory', () => {
  let server: Slapd
  const knownGuid = Buffer.from('c9c5a6e94b3b4a4b8f1a0123456789ab', 'hex')

  beforeAll(async () => {
    server = await startSlapd({ users: 3, activeDirectory: true, disabledUsers: [2] })
    await server.add(
      [
        'dn: cn=Only Upn,ou=people,dc=example,dc=com',
        'objectClass: inetOrgPerson',
        'objectClass: user',
        'cn: Only Upn',
        'sn: Upn',
        'displayName: Only Upn',
        'userPrincipalName: only.upn@example.com',
        'userAccountControl: 66048',
        `objectGUID:: ${knownGuid.toString('base64')}`,
        'objectCategory: person',
        '',
        'dn: cn=No Guid,ou=people,dc=example,dc=com',
        'objectClass: inetOrgPerson',
        'objectClass: user',
        'cn: No Guid',
        'sn: Guid',
        'sAMAccountName: noguid',
        'objectCategory: person',
        '',
        ''
      ].join('\n')
    )
  }, 20_000)

  it('reads sAMAccountName, displayName, objectGUID as a GUID and the disabled bit of userAccountControl', async () => {
    const pages = await readPages(adSettingsFor(server))
    const entries = entriesOf(pages)
    const byLogin = new Map(entries.map((entry) => [entry.login, entry]))
    expect(byLogin.get('user00001')).toEqual({
      dn: server.userDn(1),
      id: guidFromBytes(server.userGuid(1)),
      login: 'user00001',
      email: 'user00001@example.com',
      name: 'User 00001',
      disabled: false,
      // Not asked for: no groups are brought in.
      memberOf: [],
      memberOfComplete: true
    })
    expect(byLogin.get('user00002')?.disabled).toBe(true)
    expect(byLogin.get('only.upn@example.com')).toMatchObject({ id: 'e9a6c5c9-3b4b-4b4a-8f1a-0123456789ab', email: null, name: 'Only Upn', disabled: false })
    expect(pages.flatMap((page) => page.problems).map((problem) => problem.dn)).toEqual(['cn=No Guid,ou=people,dc=example,dc=com'])
  })

  it('checks a password against an AD-shaped entry', async () => {
    expect(await authenticateDirectoryUser(adSettingsFor(server), server.userDn(1), server.userPassword(1))).toBe(true)
    expect(await authenticateDirectoryUser(adSettingsFor(server), server.userDn(1), 'wrong')).toBe(false)
  })

  it('asks AD for nested membership with the in-chain rule; OpenLDAP knows no such rule and matches nobody', async () => {
    const groupDn = 'CN=VPN (all),OU=Groups,DC=example,DC=com'
    expect(searchFilter({ preset: 'active-directory', userFilter: null, groupDn })).toBe(
      '(&(&(objectCategory=person)(objectClass=user))(memberOf:1.2.840.113556.1.4.1941:=CN=VPN \\28all\\29,OU=Groups,DC=example,DC=com))'
    )
    expect(entriesOf(await readPages(adSettingsFor(server, { groupDn })))).toEqual([])
  })
})

describe('objectGUID bytes', () => {
  it('become the GUID string AD shows: the first three groups little-endian, the rest in order', () => {
    expect(guidFromBytes(Buffer.from('33221100554477668899aabbccddeeff', 'hex'))).toBe('00112233-4455-6677-8899-aabbccddeeff')
    expect(guidFromBytes(Buffer.from('c9c5a6e94b3b4a4b8f1a0123456789ab', 'hex'))).toBe('e9a6c5c9-3b4b-4b4a-8f1a-0123456789ab')
    expect(() => guidFromBytes(Buffer.alloc(15))).toThrow(RangeError)
  })
})

describe('a directory behind TLS', () => {
  let server: Slapd

  beforeAll(async () => {
    server = await startSlapd({ users: 300, tls: true })
  }, 20_000)

  it('reads over ldaps:// with the CA file, and refuses a certificate it cannot trust without it', async () => {
    const ldaps = server.ldapsUrl ?? ''
    expect(entriesOf(await readPages(settingsFor(server, { url: ldaps, caFile: server.caFile })))).toHaveLength(300)
    const error = await appErrorOf(readPages(settingsFor(server, { url: ldaps })))
    expect(error.code).toBe('DIRECTORY_TLS_FAILED')
    expect(error.message).toContain('CA file')
  })

  it('reads and checks passwords over StartTLS with the CA file', async () => {
    const settings = settingsFor(server, { startTls: true, caFile: server.caFile })
    expect(entriesOf(await readPages(settings))).toHaveLength(300)
    expect(await authenticateDirectoryUser(settings, server.userDn(5), server.userPassword(5))).toBe(true)
    expect(await authenticateDirectoryUser(settings, server.userDn(5), 'wrong')).toBe(false)
    expect((await testDirectory(settings)).warnings).toEqual([])
    expect((await appErrorOf(readPages(settingsFor(server, { startTls: true })))).code).toBe('DIRECTORY_TLS_FAILED')
  })

  it('says which CA file cannot be read', async () => {
    const error = await appErrorOf(readPages(settingsFor(server, { startTls: true, caFile: '/nonexistent/ca.pem' })))
    expect([error.code, error.field]).toEqual(['VALIDATION', 'caFile'])
  })
})
