// A real OpenLDAP server for the directory tests: a throwaway slapd.conf and mdb database in a
// fresh temp dir, on a free loopback port, as a child process of the test (no system setup).
// Bulk users go in with slapadd before the start (5,000 in well under a second); groups go in
// with ldapadd after it, so the memberof overlay writes memberOf on their members as in production.
// Call stopAllSlapd() in afterAll/afterEach: it kills every server still running and removes its dir.
// Over 300 lines: the config, the AD schema and the process handling of one server belong together.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DirectoryConnectionInput } from '../../../src/shared/contract'

export interface SlapdOptions {
  /** Generated users 1..N: uid=user00001,ou=people,... (AD mode: cn=User 00001,...), password pw-00001. */
  users?: number
  /** Groups under ou=groups (groupOfNames): cn -> the numbers of the member users (at least one; the cn may hold any character). */
  groups?: Record<string, readonly number[]>
  /** The server's size limit for one unpaged search (default 500; paged searches are not capped in total, as in AD). */
  sizeLimit?: number
  /** The memberof overlay, so users carry memberOf (default true). */
  memberOf?: boolean
  /** AD-shaped entries: a small schema with AD's attributes under their real OIDs and the auxiliary class `user`. */
  activeDirectory?: boolean
  /** Generated AD users with these numbers get userAccountControl 514 (disabled) instead of 512. */
  disabledUsers?: readonly number[]
  /** Also listen on ldaps:// and offer StartTLS, with a certificate for 127.0.0.1 from a throwaway CA (needs openssl). */
  tls?: boolean
}

export interface Slapd {
  readonly url: string
  /** ldaps:// address when started with `tls`, else null. */
  readonly ldapsUrl: string | null
  /** The PEM file of the CA that signed the server certificate (with `tls`), else null. */
  readonly caFile: string | null
  readonly port: number
  readonly baseDn: string
  readonly peopleDn: string
  readonly groupsDn: string
  /** The rootdn: no size limit and no access rules apply to it. What add/modify/remove use. */
  readonly adminDn: string
  readonly adminPassword: string
  /** A read-only service account, subject to the size limit like a real sync account: bind as this. */
  readonly serviceDn: string
  readonly servicePassword: string
  readonly memberOf: boolean
  readonly dir: string
  readonly running: boolean
  userDn(n: number): string
  userLogin(n: number): string
  userPassword(n: number): string
  /** The objectGUID bytes of a generated AD user. */
  userGuid(n: number): Buffer
  groupDn(cn: string): string
  /** ldapadd as the rootdn. */
  add(ldif: string): Promise<void>
  /** ldapmodify as the rootdn. */
  modify(ldif: string): Promise<void>
  remove(dn: string): Promise<void>
  /** The password modify operation (ldappasswd), stored hashed as {SSHA}. */
  setPassword(dn: string, password: string): Promise<void>
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>
  /** SIGKILL, to simulate an outage in the middle of a read. */
  kill(): Promise<void>
  /** Starts again on the same port with the same database. */
  restart(): Promise<void>
  /** Stops the server and removes its dir. */
  dispose(): Promise<void>
}

const SLAPD = '/usr/sbin/slapd'
const SLAPADD = '/usr/sbin/slapadd'
const BASE_DN = 'dc=example,dc=com'
const READY_WITHIN_MS = 10_000
const COMMAND_TIMEOUT_MS = 15_000

/** AD's user attributes under their real OIDs, as far as OpenLDAP allows: `user` is structural in AD,
 * here an auxiliary class beside inetOrgPerson; objectCategory is a DN in AD (which expands
 * `(objectCategory=person)` itself), here a plain string holding `person` so the AD filter matches. */
const AD_SCHEMA = `attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID'
  EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.782 NAME 'objectCategory'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP top AUXILIARY
  MAY ( sAMAccountName $ userPrincipalName $ userAccountControl $ objectGUID $ objectCategory ) )
`

interface ConfigParts {
  dir: string
  adminDn: string
  adminPassword: string
  serviceDn: string
  sizeLimit: number
  memberOf: boolean
  activeDirectory: boolean
  tlsFiles: string[] | null
}

function slapdConfig(parts: ConfigParts): string {
  const [ca, cert, key] = parts.tlsFiles ?? []
  return [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    ...(parts.activeDirectory ? [`include ${join(parts.dir, 'ad.schema')}`] : []),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    ...(parts.memberOf ? ['moduleload memberof'] : []),
    `pidfile ${join(parts.dir, 'slapd.pid')}`,
    `argsfile ${join(parts.dir, 'slapd.args')}`,
    ...(ca === undefined ? [] : [`TLSCACertificateFile ${ca}`, `TLSCertificateFile ${cert}`, `TLSCertificateKeyFile ${key}`]),
    // The limit of one unpaged search; a paged search may read every entry, page by page, as in AD.
    `sizelimit size.soft=${parts.sizeLimit} size.hard=${parts.sizeLimit} size.prtotal=unlimited`,
    'database mdb',
    `suffix "${BASE_DN}"`,
    `rootdn "${parts.adminDn}"`,
    `rootpw ${parts.adminPassword}`,
    `directory ${join(parts.dir, 'db')}`,
    'maxsize 268435456',
    'index objectClass,uid,memberOf eq',
    'access to attrs=userPassword by self write by anonymous auth by * none',
    `access to * by dn.exact="${parts.serviceDn}" read by self read by users read by * none`,
    ...(parts.memberOf ? ['overlay memberof', 'memberof-group-oc groupOfNames', 'memberof-member-ad member', 'memberof-memberof-ad memberOf', 'memberof-refint TRUE'] : []),
    ''
  ].join('\n')
}

const live = new Set<Slapd>()
const children = new Set<ChildProcess>()

/** Stops every server started by this process that is still running and removes its dir. */
/** The connection the app is given to read `server` with its read-only service account (the preset for OpenLDAP). */
export function connectionTo(server: Slapd, overrides: Partial<DirectoryConnectionInput> = {}): DirectoryConnectionInput {
  return { preset: 'openldap', url: server.url, baseDn: server.baseDn, bindDn: server.serviceDn, bindPassword: server.servicePassword, ...overrides }
}

export async function stopAllSlapd(): Promise<void> {
  await Promise.all([...live].map((server) => server.dispose()))
}

/** True when this machine has slapd (the tests need it; .ci/run installs it). */
export function slapdInstalled(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD)
}

const pad = (n: number): string => String(n).padStart(5, '0')
const dnValue = (value: string): string => value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`)

/** {SSHA}: what slapd itself stores for the password modify operation. */
function ssha(password: string): string {
  const salt = randomBytes(8)
  const digest = createHash('sha1').update(password).update(salt).digest()
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`
}

/** One LDIF attribute line; base64 (`::`) for bytes and for values LDIF cannot hold as they are. */
function line(name: string, value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return `${name}:: ${value.toString('base64')}`
  const safe = /^[^\0\n\r :<][^\0\n\r]*$/.test(value) && !value.endsWith(' ') && /^[\x20-\x7e]*$/.test(value)
  return safe ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`
}

const entry = (lines: string[]): string => `${lines.join('\n')}\n\n`

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Runs a command with `input` on its stdin; rejects with its stderr when it fails or takes too long. */
async function run(command: string, args: string[], input = ''): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGKILL' })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (code === 0) resolve(out)
      else {
        const shown = args.map((arg, i) => (args[i - 1] === '-w' || args[i - 1] === '-s' ? '***' : arg)).join(' ')
        reject(new Error(`${command} ${shown} failed (${signal ?? code}): ${err.trim() || out.trim()}`))
      }
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(input)
  })
}

async function portAnswers(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

function makeCertificates(dir: string): Promise<string[]> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  return run('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'), '-days', '2', '-subj', '/CN=2FA Admin test CA'])
    .then(() => run('openssl', ['req', ...ec, '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'), '-subj', '/CN=127.0.0.1']))
    .then(() =>
      run('openssl', ['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
        '-out', join(dir, 'server.pem'), '-days', '2', '-extfile', join(dir, 'san.cnf')])
    )
    .then(() => [join(dir, 'ca.pem'), join(dir, 'server.pem'), join(dir, 'server.key')])
}

function bulkLdif(options: Required<Pick<SlapdOptions, 'users' | 'activeDirectory'>>, names: Names, disabled: Set<number>): string {
  let ldif = entry(['dn: ' + BASE_DN, 'objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example'])
  ldif += entry([`dn: ${names.serviceDn}`, 'objectClass: organizationalRole', 'objectClass: simpleSecurityObject', 'cn: sync', line('userPassword', ssha(names.servicePassword))])
  ldif += entry([`dn: ou=people,${BASE_DN}`, 'objectClass: organizationalUnit', 'ou: people'])
  ldif += entry([`dn: ou=groups,${BASE_DN}`, 'objectClass: organizationalUnit', 'ou: groups'])
  const parts: string[] = [ldif]
  for (let n = 1; n <= options.users; n += 1) {
    const lines = [
      `dn: ${names.userDn(n)}`,
      // slapadd -q wants all values of an attribute together.
      'objectClass: inetOrgPerson',
      ...(options.activeDirectory ? ['objectClass: user'] : []),
      `uid: user${pad(n)}`,
      `cn: User ${pad(n)}`,
      `sn: ${pad(n)}`,
      `mail: user${pad(n)}@example.com`,
      line('userPassword', ssha(`pw-${pad(n)}`))
    ]
    if (options.activeDirectory) {
      lines.push(`sAMAccountName: user${pad(n)}`, `userPrincipalName: user${pad(n)}@example.com`, `displayName: User ${pad(n)}`,
        `userAccountControl: ${disabled.has(n) ? 514 : 512}`, line('objectGUID', names.userGuid(n)), 'objectCategory: person')
    }
    parts.push(entry(lines))
  }
  return parts.join('')
}

interface Names {
  serviceDn: string
  servicePassword: string
  userDn(n: number): string
  userGuid(n: number): Buffer
}

/** Starts a fresh slapd; see SlapdOptions. Bounded: rejects if the port does not answer within 10 s. */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  if (!slapdInstalled()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (.ci/run does).')
  const dir = mkdtempSync(join(tmpdir(), 'twofa-slapd-'))
  const activeDirectory = options.activeDirectory ?? false
  const memberOf = (options.memberOf ?? true) && existsSync('/usr/lib/ldap/memberof.la')
  const adminDn = `cn=admin,${BASE_DN}`
  const adminPassword = `admin-${randomBytes(6).toString('hex')}`
  const names: Names = {
    serviceDn: `cn=sync,${BASE_DN}`,
    servicePassword: 'sync-secret',
    userDn: (n) => (activeDirectory ? `cn=User ${pad(n)},ou=people,${BASE_DN}` : `uid=user${pad(n)},ou=people,${BASE_DN}`),
    userGuid: (n) => createHash('md5').update(`guid-${n}`).digest()
  }
  let child: ChildProcess | null = null
  let stderr = ''
  let disposed = false

  const handle: Slapd = {
    url: '',
    ldapsUrl: null,
    caFile: null,
    port: 0,
    baseDn: BASE_DN,
    peopleDn: `ou=people,${BASE_DN}`,
    groupsDn: `ou=groups,${BASE_DN}`,
    adminDn,
    adminPassword,
    serviceDn: names.serviceDn,
    servicePassword: names.servicePassword,
    memberOf,
    dir,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null
    },
    userDn: names.userDn,
    userLogin: (n) => `user${pad(n)}`,
    userPassword: (n) => `pw-${pad(n)}`,
    userGuid: names.userGuid,
    groupDn: (cn) => `cn=${dnValue(cn)},ou=groups,${BASE_DN}`,
    add: async (ldif) => void (await run('ldapadd', ['-x', '-H', handle.url, '-D', adminDn, '-w', adminPassword], ldif)),
    modify: async (ldif) => void (await run('ldapmodify', ['-x', '-H', handle.url, '-D', adminDn, '-w', adminPassword], ldif)),
    remove: async (dn) => void (await run('ldapdelete', ['-x', '-H', handle.url, '-D', adminDn, '-w', adminPassword], `${dn}\n`)),
    setPassword: async (dn, password) => void (await run('ldappasswd', ['-x', '-H', handle.url, '-D', adminDn, '-w', adminPassword, '-s', password, dn])),
    stop: async () => await halt('SIGTERM'),
    kill: async () => await halt('SIGKILL'),
    restart: async () => {
      await halt('SIGTERM')
      await launch()
    },
    dispose: async () => {
      disposed = true
      live.delete(handle)
      await halt('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const mutable = handle as { -readonly [K in keyof Slapd]: Slapd[K] }

  async function halt(signal: NodeJS.Signals): Promise<void> {
    const running = child
    if (running === null || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill(signal)
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }

  async function launch(): Promise<void> {
    const urls = [handle.url, handle.ldapsUrl].filter((u): u is string => u !== null).join(' ')
    stderr = ''
    const started = spawn(SLAPD, ['-f', join(dir, 'slapd.conf'), '-h', urls, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] })
    child = started
    children.add(started)
    started.once('exit', () => children.delete(started))
    started.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)))
    const deadline = Date.now() + READY_WITHIN_MS
    const ports = [handle.port, ...(handle.ldapsUrl === null ? [] : [Number(new URL(handle.ldapsUrl).port)])]
    for (const port of ports) {
      while (!(await portAnswers(port))) {
        if (started.exitCode !== null || started.signalCode !== null) throw new Error(`slapd exited (${started.signalCode ?? started.exitCode}): ${stderr.trim()}`)
        if (Date.now() > deadline) throw new Error(`slapd did not answer on port ${port} within ${READY_WITHIN_MS} ms: ${stderr.trim()}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }

  live.add(handle)
  try {
    mutable.port = await freePort()
    mutable.url = `ldap://127.0.0.1:${handle.port}`
    let tlsFiles: string[] | null = null
    if (options.tls === true) {
      tlsFiles = await makeCertificates(dir)
      mutable.caFile = tlsFiles[0] ?? null
      mutable.ldapsUrl = `ldaps://127.0.0.1:${await freePort()}`
    }
    if (activeDirectory) writeFileSync(join(dir, 'ad.schema'), AD_SCHEMA)
    mkdirSync(join(dir, 'db'))
    writeFileSync(
      join(dir, 'slapd.conf'),
      slapdConfig({ dir, adminDn, adminPassword, serviceDn: names.serviceDn, sizeLimit: options.sizeLimit ?? 500, memberOf, activeDirectory, tlsFiles })
    )
    const disabled = new Set(options.disabledUsers ?? [])
    writeFileSync(join(dir, 'bulk.ldif'), bulkLdif({ users: options.users ?? 0, activeDirectory }, names, disabled))
    await run(SLAPADD, ['-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'bulk.ldif')])
    await launch()
    const groups = Object.entries(options.groups ?? {})
    if (groups.length > 0) {
      const ldif = groups
        .map(([cn, members]) => entry([`dn: ${handle.groupDn(cn)}`, 'objectClass: groupOfNames', line('cn', cn), ...members.map((n) => line('member', names.userDn(n)))]))
        .join('')
      await handle.add(ldif)
    }
    if (disposed) throw new Error('slapd was stopped while it started')
    return handle
  } catch (error) {
    await handle.dispose()
    throw error
  }
}

// A test that dies without its afterAll still leaves no slapd behind.
process.once('exit', () => {
  for (const running of children) running.kill('SIGKILL')
  for (const server of live) {
    try {
      rmSync(server.dir, { recursive: true, force: true })
    } catch {
      // best effort on the way out
    }
  }
})
