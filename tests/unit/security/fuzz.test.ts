// Hostile input against every method of the contract, through both ways in:
// the wrapper Electron's IPC uses (createIpcHandler) and the browser preview's
// HTTP bridge, both over the real core on a real database. A seeded generator
// makes malformed payloads (wrong types, missing and extra fields, huge
// strings, unicode, prototype-pollution keys, bad numbers, SQL fragments):
// each must come back as a typed Result, nothing may crash, and the database
// must be exactly as it was after every refused call.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import { API_METHODS, type ApiMethod } from '../../../src/shared/contract'
import { MAX_IMPORT_BYTES } from '../../../src/shared/contract/user-import'
import { AUDIT_ACTIONS } from '../../../src/shared/domain'
import type { ErrorCode, Result } from '../../../src/shared/errors'
import type { SessionHolder } from '../../../src/main/core/caller'
import { codeAt } from '../../../src/main/core/crypto/totp'
import type { Database } from '../../../src/main/db/connection'
import { createIpcHandler, type IpcInvokeEventLike } from '../../../src/main/ipc/ipc-handler'
import { startPreviewServer, type PreviewServer } from '../../../src/server/preview-server'
import { TOKEN_HEADER } from '../../../src/shared/transport'
import { addUser, PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

const SEED = 20261127
const PAYLOADS_PER_METHOD = 400

/** Every code a caller may see; the type makes this list follow errors.ts. */
const KNOWN_ERROR_CODES: Record<ErrorCode, true> = {
  VALIDATION: true,
  DATABASE_TAMPERED: true,
  UNSAFE_FILE: true,
  UNAUTHENTICATED: true,
  SESSION_EXPIRED: true,
  REAUTH_REQUIRED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  INVALID_CREDENTIALS: true,
  ACCOUNT_LOCKED: true,
  INVALID_CODE: true,
  CODE_REPLAYED: true,
  ENROLLMENT_EXPIRED: true,
  ENROLLMENT_REQUIRED: true,
  HANDOVER_IN_PROGRESS: true,
  ALREADY_ACTIVE: true,
  NOT_ACTIVE: true,
  ENFORCED_BY_ADMIN: true,
  ADMIN_ALWAYS_ENFORCED: true,
  LAST_ADMIN: true,
  EMAIL_TAKEN: true,
  GROUP_FROM_DIRECTORY: true,
  GROUP_EXISTS: true,
  ALREADY_SET_UP: true,
  WEAK_PASSWORD: true,
  DATABASE_TOO_NEW: true,
  DATABASE_NOT_OURS: true,
  DATABASE_CORRUPT: true,
  DATABASE_BUSY: true,
  DISK_FULL: true,
  KEY_UNAVAILABLE: true,
  TRANSPORT: true,
  CANCELLED: true,
  CLOSED: true,
  DIRECTORY_UNAVAILABLE: true,
  DIRECTORY_BIND_FAILED: true,
  DIRECTORY_SEARCH_FAILED: true,
  DIRECTORY_TLS_FAILED: true,
  INTERNAL: true
}

// ------------------------------------------------------------ the generator

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T
  return { next, int, pick, chance: (p: number) => next() < p }
}
type Rng = ReturnType<typeof prng>

type Kind =
  | 'name'
  | 'email'
  | 'loginEmail'
  | 'password'
  | 'loginPassword'
  | 'code'
  | 'recovery'
  | 'userId'
  | 'boolean'
  | 'role'
  | 'enforcement'
  | 'status'
  | 'sort'
  | 'direction'
  | 'limit'
  | 'before'
  | 'cursor'
  | 'query'
  | 'action'
  | 'auditUser'
  | 'logoutReason'
  | 'csv'
  | 'preset'
  | 'clientName'
  | 'clientAddress'
  | 'radiusSecret'
  | 'dn'
  | 'bindPassword'
  | 'ldapUrl'
  | 'userExportFormat'
  | 'auditExportFormat'
  | 'exportId'
  | 'hours'
  | 'historyDays'
  | 'graceDays'
  | 'nullableId'
  | 'emails'
  | 'target'
  | 'selection'
  | 'bulkAction'
  | 'count'
  | 'idleMinutes'
  | 'enforcementSource'
  | 'userSource'
  | 'onlyTrue'

type Fields = Record<string, { kind: Kind; required: boolean }>
const req = (kind: Kind) => ({ kind, required: true })
const opt = (kind: Kind) => ({ kind, required: false })

/** The contract's inputs, restated for the generator (the schemas are what is under test). */
const FIELDS: Record<ApiMethod, Fields> = {
  getAppState: {},
  setupFirstAdmin: { name: req('name'), email: req('email'), password: req('password') },
  login: { email: req('loginEmail'), password: req('loginPassword') },
  verifyCode: { code: req('code') },
  verifyRecoveryCode: { code: req('recovery') },
  logout: { reason: opt('logoutReason') },
  // Exactly one of password and code; the generator treats the password as the required one.
  reauthenticate: { password: req('loginPassword') },
  startEnrollment: {},
  confirmEnrollment: { code: req('code') },
  getMyAccount: {},
  deactivateMyTwoFactor: { code: req('code') },
  regenerateRecoveryCodes: { code: req('code') },
  changePassword: { currentPassword: req('loginPassword'), newPassword: req('password') },
  countUsers: { query: opt('query'), status: opt('status'), groupId: opt('userId'), role: opt('role'), locked: opt('boolean'), disabled: opt('boolean'), enforcementSource: opt('enforcementSource'), source: opt('userSource'), fewRecoveryCodes: opt('onlyTrue') },
  listUsers: { query: opt('query'), status: opt('status'), groupId: opt('userId'), role: opt('role'), locked: opt('boolean'), disabled: opt('boolean'), enforcementSource: opt('enforcementSource'), source: opt('userSource'), fewRecoveryCodes: opt('onlyTrue'), sort: opt('sort'), direction: opt('direction'), cursor: opt('cursor'), limit: opt('limit') },
  getUser: { userId: req('userId') },
  // A typed password or generatePassword, never both; the generator treats the password as the required one.
  createUser: { name: req('name'), email: req('email'), role: req('role'), password: req('password'), enforce: opt('boolean') },
  updateUser: { userId: req('userId'), name: opt('name'), role: opt('role'), disabled: opt('boolean') },
  setEnforceTwoFactorActivation: { userId: req('userId'), enforce: req('boolean'), graceDays: opt('graceDays') },
  setEnforcement: { userId: req('userId'), enforcement: req('enforcement'), graceDays: opt('graceDays') },
  resetTwoFactor: { userId: req('userId') },
  unlockUser: { userId: req('userId') },
  getSecurityOverview: {},
  enforceForAllUsers: { graceDays: opt('graceDays') },
  revokeEnforcement: {},
  previewEnforcement: { target: req('target'), revoke: opt('boolean'), graceDays: opt('graceDays') },
  setPolicyExemptionGroup: { groupId: req('nullableId') },
  setIdleTimeout: { minutes: req('idleMinutes') },
  listGroups: {},
  getGroup: { groupId: req('userId') },
  createGroup: { name: req('name') },
  deleteGroup: { groupId: req('userId') },
  addGroupMembers: { groupId: req('userId'), emails: req('emails'), dryRun: opt('boolean') },
  removeGroupMembers: { groupId: req('userId'), emails: req('emails'), dryRun: opt('boolean') },
  enforceGroup: { groupId: req('userId'), graceDays: opt('graceDays') },
  revokeGroupEnforcement: { groupId: req('userId') },
  listAudit: { user: opt('auditUser'), action: opt('action'), before: opt('before'), limit: opt('limit') },
  getAuditChainStatus: {},
  verifyWholeAuditLog: {},
  getChangeStamp: {},
  getDirectoryConnection: {},
  setDirectoryConnection: { preset: req('preset'), url: req('ldapUrl'), baseDn: req('dn'), bindDn: req('dn'), bindPassword: opt('bindPassword') },
  testDirectoryConnection: {},
  syncDirectory: { dryRun: req('boolean'), allowMassDisable: opt('boolean') },
  getDirectorySyncProgress: {},
  listRadiusClients: {},
  addRadiusClient: { name: req('clientName'), address: req('clientAddress'), secret: opt('radiusSecret'), require2fa: req('boolean') },
  removeRadiusClient: { name: req('clientName') },
  setUserPassword: { userId: req('userId'), password: req('password') },
  importUsers: { csv: req('csv'), dryRun: req('boolean'), ignoreUnknownColumns: opt('boolean') },
  getImportProgress: {},
  exportUsers: { format: req('userExportFormat'), status: opt('status'), groupId: opt('userId'), query: opt('query'), role: opt('role'), locked: opt('boolean'), disabled: opt('boolean'), enforcementSource: opt('enforcementSource'), source: opt('userSource'), fewRecoveryCodes: opt('onlyTrue') },
  exportAudit: { format: req('auditExportFormat'), user: opt('auditUser'), action: opt('action') },
  getExport: { exportId: req('exportId') },
  getTwoFactorHistory: { days: opt('historyDays') },
  issueTemporaryPass: { userId: req('userId'), hours: opt('hours'), singleUse: opt('boolean') },
  revokeTemporaryPass: { userId: req('userId') },
  setFirstPassword: { password: req('password') },
  startInPersonEnrollment: { userId: req('userId') },
  identifyInPerson: { secret: req('loginPassword') },
  cancelInPersonEnrollment: {},
  // Exactly one of password and code, as reauthenticate.
  endInPersonEnrollment: { password: req('loginPassword') },
  previewBulkChange: { selection: req('selection'), action: req('bulkAction') },
  applyBulkChange: { selection: req('selection'), action: req('bulkAction'), expectedChanges: opt('count') },
  bulkInstructions: { selection: opt('selection') }
}

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; DELETE FROM audit_log',
  "admin'--",
  "') UNION SELECT password_hash FROM users --",
  '%',
  '_',
  '\\',
  '*',
  '"',
  'NEAR(a b)',
  'email:*',
  '-x',
  '^',
  'AND OR NOT'
]
const UNICODE = ['Zoë Ångström', '山田太郎', 'مرحبا بالعالم', '\u202etxt.exe', 'a\u0301\u0301\u0301', '\u200b\u200d\ufeff', '🦄🔐✅', '\ud800', '\udfff\ud800', 'İıſK', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢']
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isAdmin', 'sessionId', 'role ', '$where', "email' OR 1=1 --", 'ünïcödé', '']

function hostileText(rng: Rng, max: number): string {
  const parts = [rng.pick(SQL), rng.pick(UNICODE), rng.pick(SQL)]
  const text = rng.chance(0.5) ? parts.join(' ') : (rng.pick(parts) as string)
  return text.slice(0, max)
}

/** A value the schema accepts, with hostile content wherever text is free. */
function validValue(kind: Kind, rng: Rng): unknown {
  switch (kind) {
    case 'name':
      return rng.pick(["Robert'); DROP TABLE users;--", 'Zoë Ångström', '山田太郎', '🦄'.repeat(10), 'x'.repeat(200), '<script>alert(1)</script>', '%_%'])
    case 'email':
      return rng.pick(["o'brien@example.com", 'a+b@example.co.uk', "drop'table@ex.com", 'x@xn--80ak6aa92e.com', 'üser@exämple.com'])
    case 'loginEmail':
      return hostileText(rng, 254)
    case 'password':
      // Hostile and still strong enough for the password rule (src/shared/password-policy.ts).
      return rng.pick(["' OR 1=1; -- padding river lamp", 'pässwörd 🔐 long enough tulip', `${"Robert'); DROP TABLE users;-- "}quiet lantern 42`])
    case 'loginPassword':
      return rng.pick(["' OR '1'='1", '🔐', 'x'.repeat(1024), ' '])
    case 'code':
      return rng.pick(['123456', '12 34 56', '123-456', '12345678'])
    case 'recovery':
      return rng.pick(['abcde-12345', 'ABCDE12345', 'zzzzz zzzzz'])
    case 'userId':
      return rng.pick([1, 2, 3, 999_999, Number.MAX_SAFE_INTEGER])
    case 'boolean':
      return rng.chance(0.5)
    case 'role':
      return rng.pick(['admin', 'user'])
    case 'enforcement':
      return rng.pick(['inherit', 'enforced', 'exempt'])
    case 'status':
      return rng.pick(['active', 'pending', 'overdue', 'inactive'])
    case 'enforcementSource':
      return rng.pick(['admin', 'individual', 'policy', 'exempt'])
    case 'userSource':
      return rng.pick(['local', 'csv', 'ldap'])
    case 'onlyTrue':
      return true
    case 'sort':
      return rng.pick(['name', 'email', 'role', 'status', 'lastTwoFactorLogin', 'activeSince', 'enforcedSince', 'lockedUntil'])
    case 'direction':
      return rng.pick(['asc', 'desc'])
    case 'limit':
      return rng.int(1, 500)
    case 'hours':
      return rng.int(1, 720)
    case 'historyDays':
      return rng.int(1, 400)
    case 'graceDays':
      return rng.int(0, 365)
    case 'nullableId':
      return rng.pick([1, 2, 999_999, null])
    case 'emails':
      return rng.pick([["o'brien@example.com"], ['a+b@example.co.uk', 'üser@exämple.com'], Array.from({ length: 50 }, (_, i) => `x${i}@example.com`)])
    case 'selection':
      return rng.pick([{ userIds: [1] }, { emails: ["o'brien@example.com"] }, { filter: {} }, { filter: { status: 'pending', query: "' OR 1=1" }, exceptUserIds: [2] }])
    case 'bulkAction':
      return rng.pick(['enforce', 'exempt', 'inherit', 'unlock', 'resetTwoFactor', 'disable'])
    case 'idleMinutes':
      return rng.int(5, 60)
    case 'count':
      return rng.int(0, 100)
    case 'target':
      return rng.pick([{ kind: 'all' }, { kind: 'group', groupId: rng.pick([1, 2, 999_999]) }, { kind: 'exemption', groupId: rng.pick([1, null]) }])
    case 'before':
      return rng.int(1, 1_000_000)
    case 'cursor':
      return rng.chance(0.5) ? hostileText(rng, 2048) : Buffer.from(hostileText(rng, 300)).toString('base64')
    case 'query':
    case 'auditUser':
      return hostileText(rng, 254)
    case 'action':
      return rng.pick(AUDIT_ACTIONS)
    case 'logoutReason':
      return 'idle'
    case 'preset':
      return rng.pick(['openldap', 'active-directory'])
    case 'clientName':
      return rng.pick(['vpn-gateway', 'Wi-Fi controller', 'fw_01'])
    case 'clientAddress':
      return rng.pick(['192.0.2.10', '10.0.0.0/8', '2001:db8::/32', '::1'])
    case 'radiusSecret':
      return rng.pick(['a shared secret of 24 c', "' OR '1'='1' -- padding!!"])
    case 'dn':
      return rng.pick(['dc=example,dc=com', 'cn=sync,ou=svc,dc=example,dc=com', "cn=O'Brien\\, Pat,dc=example,dc=com", '山田太郎'])
    case 'bindPassword':
      return rng.pick(['', "' OR '1'='1", '🔐 secret'])
    case 'ldapUrl':
      return rng.pick(['ldap://127.0.0.1:1', 'ldaps://dc1.example.com:636'])
    case 'csv':
      return rng.pick(['email,name\nmaria@example.com,Maria\n', `email;role\n${hostileText(rng, 254)};admin\n`, ''])
    case 'userExportFormat':
      return rng.pick(['csv', 'json'])
    case 'auditExportFormat':
      return rng.pick(['csv', 'jsonl'])
    case 'exportId':
      return 'A'.repeat(32)
  }
}

const longNonBlank = (rng: Rng, min: number): string => rng.pick(['x', 'é', '🦄', "'", '%']).repeat(rng.chance(0.1) ? rng.int(min, 200_000) : rng.int(min, min + 64))

/** A value of the right type that the schema must refuse. */
function invalidValue(kind: Kind, rng: Rng): unknown {
  switch (kind) {
    case 'name':
      return rng.pick(['', '   ', 'a\u0000b', '\u001b[2J', 'tab\there', '\u202eevil', 'a\u2066b', 'c1\u0085', longNonBlank(rng, 201)])
    case 'email':
      return rng.pick(['no-at', 'a@b', 'a b@c.de', "' OR '1'='1", '@example.com', 'a@.com', 'a@@b.com', `${'a'.repeat(250)}@ex.com`, ''])
    case 'loginEmail':
      return longNonBlank(rng, 255)
    case 'password':
      return rng.pick(['', 'short', '123456789', longNonBlank(rng, 1025)])
    case 'loginPassword':
      return rng.pick(['', longNonBlank(rng, 1025)])
    case 'code':
      return rng.pick(['', 'abcdef', '12345', '123456789', '１２３４５６', "1' OR '1'='1", '000000\u0000', longNonBlank(rng, 33)])
    case 'recovery':
      return rng.pick(['abcde-1234', 'abcde-12345!', "' OR 1=1 --", longNonBlank(rng, 65)])
    case 'userId':
      return rng.pick([0, -1, -0.5, 1.5, 2 ** 53, 1e21, -(2 ** 31)])
    case 'boolean':
      return rng.pick(['true', 'false', 1, 0, 'yes'])
    case 'role':
      return rng.pick(['root', 'Admin', 'admin ', 'аdmin', '', 'user; DROP TABLE users'])
    case 'enforcement':
      return rng.pick(['ENFORCED', 'disabled', '', "inherit' --"])
    case 'status':
      return rng.pick(['all', '*', "active' OR 1=1", 'ACTIVE'])
    case 'enforcementSource':
      return rng.pick(['group', 'Admin', '', "policy' --", 1])
    case 'userSource':
      return rng.pick(['LDAP', 'ad', '', "local' OR 1=1", null])
    case 'onlyTrue':
      return rng.pick([false, 'true', 1, null])
    case 'sort':
      return rng.pick(['password_hash', 'name; DROP TABLE users', 'id', 'rowid'])
    case 'direction':
      return rng.pick(['up', 'DESC', 'asc;', ''])
    case 'limit':
      return rng.pick([0, -5, 501, 1.5, 1e9])
    case 'hours':
      return rng.pick([0, -1, 721, 1.5, 1e9])
    case 'historyDays':
      return rng.pick([0, -1, 401, 1.5, 1e9])
    case 'graceDays':
      return rng.pick([-1, 366, 1.5, 1e9, '7', null])
    case 'nullableId':
      return rng.pick([0, -1, 1.5, 2 ** 53, '1', ''])
    case 'emails':
      return rng.pick([[], 'a@example.com', ["' OR 1=1 --"], [1], Array.from({ length: 10_001 }, (_, i) => `x${i}@example.com`), [{}]])
    case 'selection':
      return rng.pick(['all', {}, { userIds: [] }, { userIds: [0] }, { filter: { status: 'x' } }, { userIds: [1], emails: ['a@example.com'] }, { emails: ['no-at'] }, { filter: {}, exceptUserIds: [-1] }])
    case 'bulkAction':
      return rng.pick(['delete', 'ENFORCE', '', 'enforce ', 'resettwofactor'])
    case 'idleMinutes':
      return rng.pick([0, 4, 61, 5.5, '15', null])
    case 'count':
      return rng.pick([-1, 1.5, 100_001, 1e9])
    case 'target':
      return rng.pick(['all', {}, { kind: 'everyone' }, { kind: 'group' }, { kind: 'group', groupId: -1 }, { kind: 'all', groupId: 1 }])
    case 'before':
      return rng.pick([0, -1, 2.5, 2 ** 53])
    case 'cursor':
      return longNonBlank(rng, 2049)
    case 'query':
    case 'auditUser':
      return longNonBlank(rng, 255)
    case 'action':
      return rng.chance(0.5) ? hostileText(rng, 64) : longNonBlank(rng, 65)
    case 'logoutReason':
      return rng.pick(['user', 'IDLE', '', 'idle ', "idle' --"])
    case 'csv':
      return OVERSIZED_CSV
    case 'preset':
      return rng.pick(['OpenLDAP', 'ad', '', 'novell'])
    case 'clientName':
      return rng.pick(['', '   ', '-vpn', 'a\u0000b', 'x'.repeat(65), 'vpn;drop'])
    case 'clientAddress':
      return rng.pick(['', '256.1.1.1', '10.0.0.0/33', 'example.com', '1.2.3', '::1::2', '10.0.0.0/8/8', '2001:db8::/129'])
    case 'radiusSecret':
      return rng.pick(['short', 'x'.repeat(129), 'sixteen chars \u0000!'])
    case 'dn':
      return rng.pick(['dc=a\u0000', 'cn=\u202eevil', 'dc=\u001b[2J', longNonBlank(rng, 1025)])
    case 'bindPassword':
      return longNonBlank(rng, 1025)
    case 'ldapUrl':
      return rng.pick(['http://dc1.example.com', 'ldap://', 'ldap://host/ou=x', 'file:///etc/passwd', "ldap://a b", 'ldap://h:99999999'])
    case 'userExportFormat':
      return rng.pick(['xml', 'CSV', 'jsonl', '', 'csv '])
    case 'auditExportFormat':
      return rng.pick(['json', 'CSV', 'xlsx', ''])
    case 'exportId':
      return rng.pick(['', '../../etc/passwd', 'A'.repeat(31), 'A'.repeat(33), `${'A'.repeat(31)}/`, hostileText(rng, 64)])
  }
}

/** One character past the largest file the screens may send: built once, it is 32 MB. */
const OVERSIZED_CSV = 'x'.repeat(MAX_IMPORT_BYTES + 1)

const NUMBER_KINDS: ReadonlySet<Kind> = new Set(['count', 'idleMinutes', 'graceDays', 'userId', 'limit', 'before', 'hours', 'historyDays'])

/** A value of the wrong type. `ipcOnly` values survive structured clone but not JSON. */
function wrongType(kind: Kind, rng: Rng, ipc: boolean): unknown {
  const ipcOnly = [NaN, Infinity, -Infinity, 10n, new Date(0), new Map([['a', 1]]), new Set([1]), new Uint8Array(4)]
  const shared =
    kind === 'boolean'
      ? ['true', 'false', 1, 0, null, [], {}, 'yes']
      : kind === 'onlyTrue'
        ? ['true', 1, 0, null, [], {}, 'yes']
      : kind === 'nullableId'
        ? ['1', '', 'NaN', true, [], [1], {}, { valueOf: 1 }]
      : NUMBER_KINDS.has(kind)
        ? ['1', '', 'NaN', 'Infinity', '-0', '1e309', '0x10', ' 1', true, null, [], [1], {}, { valueOf: 1 }]
        : [42, -1, 1.5, true, false, null, [], ['x'], {}, { toString: 'x' }, { $gt: '' }, { length: 5 }, [[[[[]]]]]]
  return ipc && rng.chance(0.3) ? rng.pick(ipcOnly) : rng.pick(shared)
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // Own, enumerable, even for "__proto__": what JSON.parse produces from a hostile body.
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true })
}

/** One payload for one method that the contract must refuse, by construction. */
function malformedPayload(method: ApiMethod, rng: Rng, ipc: boolean): unknown {
  const fields = FIELDS[method]
  const names = Object.keys(fields)
  const required = names.filter((name) => fields[name]?.required)
  // Hostile but well-typed values everywhere the schema allows them...
  const payload: Record<string, unknown> = {}
  for (const name of names) if (fields[name]?.required || rng.chance(0.5)) payload[name] = validValue(fields[name]!.kind, rng)

  // ...and then at least one thing the schema refuses.
  const mutations = ['payloadType', 'extraKey', ...(required.length > 0 ? ['missing'] : []), ...(names.length > 0 ? ['wrongType', 'badValue', 'badValue'] : [])]
  if (method === 'reauthenticate' || method === 'endInPersonEnrollment') mutations.push('bothFactors')
  const mutation = rng.pick(mutations)
  switch (mutation) {
    case 'payloadType': {
      const ipcOnly = [NaN, new Map(), new Date(0), 10n]
      return ipc && rng.chance(0.3) ? rng.pick(ipcOnly) : rng.pick([null, [], 'string', 0, -1, true, [{}], JSON.stringify(payload), [payload]])
    }
    case 'extraKey':
      setOwn(payload, rng.pick(POLLUTION_KEYS), rng.pick([{ isAdmin: true, role: 'admin' }, 'admin', 1, null, []]))
      break
    case 'missing':
      delete payload[rng.pick(required)]
      break
    case 'wrongType': {
      const name = rng.pick(names)
      payload[name] = wrongType(fields[name]!.kind, rng, ipc)
      break
    }
    case 'badValue': {
      const name = rng.pick(names)
      payload[name] = invalidValue(fields[name]!.kind, rng)
      break
    }
    case 'bothFactors':
      payload.code = '123456'
      break
  }
  // Sometimes a second problem on top.
  if (rng.chance(0.2)) setOwn(payload, rng.pick(POLLUTION_KEYS), { polluted: true })
  return payload
}

// ------------------------------------------------------------ transports

interface Transport {
  name: string
  ipc: boolean
  call(method: ApiMethod, payload: unknown): Promise<Result<unknown>>
}

function ipcTransport(env: TestEnv, holder: SessionHolder): Transport {
  const event: IpcInvokeEventLike = { sender: { id: 1, once: () => undefined }, senderFrame: { url: 'app://twofa-admin/index.html' } }
  const handlers = new Map(
    API_METHODS.map((method) => [
      method,
      createIpcHandler(method, {
        dispatch: (m, caller, payload) => env.core.dispatch(m, caller, payload),
        isTrustedSender: () => true,
        holderFor: () => holder
      })
    ])
  )
  return { name: 'IPC', ipc: true, call: (method, payload) => handlers.get(method)!(event, payload) }
}

interface HttpReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function httpTransport(server: PreviewServer, agent: Agent): Transport & { cookie: string; raw: typeof rawRequest } {
  const rawRequest = (path: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<HttpReply> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      })
      // A refused upload may be cut off mid-way; the answer has arrived by then.
      req.on('error', reject)
      req.end(body)
    })
  const transport = {
    name: 'HTTP',
    ipc: false,
    cookie: '',
    raw: rawRequest,
    headers(): Record<string, string> {
      return {
        Host: `127.0.0.1:${server.port}`,
        Origin: `http://127.0.0.1:${server.port}`,
        [TOKEN_HEADER]: server.token,
        'Content-Type': 'application/json',
        ...(transport.cookie ? { Cookie: transport.cookie } : {})
      }
    },
    async call(method: ApiMethod, payload: unknown): Promise<Result<unknown>> {
      const reply = await rawRequest(`/api/${method}`, JSON.stringify(payload) ?? '', transport.headers())
      const setCookie = reply.headers['set-cookie']
      // As a browser: the newest cookie replaces the one before (the bridge issues one per sign-in step), Max-Age=0 clears it.
      if (setCookie) transport.cookie = /Max-Age=0/i.test(String(setCookie)) ? '' : (String(setCookie).split(';')[0] as string)
      return JSON.parse(reply.body) as Result<unknown>
    }
  }
  return transport
}

// ------------------------------------------------------------ the checks

/** A logical dump of every table (the full-text index through its shadow tables), hashed. */
function contentHasher(db: Database): () => string {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
    .pluck()
    .all() as string[]
  const statements = tables.map((table) => [table, db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).raw()] as const)
  return () => {
    const hash = createHash('sha256')
    for (const [table, statement] of statements) {
      hash.update(`\u0000${table}\u0000`)
      for (const row of statement.iterate() as Iterable<unknown[]>) hash.update(JSON.stringify(row))
    }
    return hash.digest('hex')
  }
}

function expectTypedResult(result: unknown, context: string): asserts result is Result<unknown> {
  expect(typeof result, context).toBe('object')
  const r = result as Record<string, unknown>
  if (r.ok === true) {
    expect(Object.keys(r).sort(), context).toEqual(['ok', 'value'])
    return
  }
  expect(r.ok, context).toBe(false)
  const error = r.error as Record<string, unknown>
  expect(Object.keys(KNOWN_ERROR_CODES), context).toContain(error.code)
  expect(typeof error.message, context).toBe('string')
  expect((error.message as string).length, context).toBeGreaterThan(0)
  if ('field' in error) expect(typeof error.field, context).toBe('string')
  // An unexpected failure inside the core is a bug the fuzzer found.
  expect(error.code, `${context}: ${String(error.message)}`).not.toBe('INTERNAL')
}

function describePayload(payload: unknown): string {
  try {
    const text = JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))
    return text === undefined ? String(payload) : text.slice(0, 160)
  } catch {
    return String(payload)
  }
}

// ------------------------------------------------------------ the tests

describe('hostile input through both transports', () => {
  let env: TestEnv
  let server: PreviewServer
  let agent: Agent
  let ipc: Transport
  let http: ReturnType<typeof httpTransport>
  let hashContent: () => string
  const unexpected: unknown[] = []
  const onUnexpected = (error: unknown): void => {
    unexpected.push(error)
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUnexpected)
    process.on('unhandledRejection', onUnexpected)
    env = new TestEnv()
    const { screen, secret } = await setUpAdmin(env)
    for (const email of ['maria@example.com', 'tom@example.com']) await addUser(env, email)
    ipc = ipcTransport(env, screen.holder)

    const rendererDir = join(env.dir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>2FA Admin</title>')
    server = await startPreviewServer({ core: env.core, rendererDir })
    agent = new Agent({ keepAlive: true, maxSockets: 1 })
    http = httpTransport(server, agent)
    // The browser signs in as the administrator too, so calls get past the session checks.
    expect(await http.call('login', { email: 'admin@example.com', password: PASSWORD })).toMatchObject({ ok: true, value: { step: 'second-factor' } })
    expect(await http.call('verifyCode', { code: codeAt(secret, env.clock.now()) })).toMatchObject({ ok: true, value: { step: 'signed-in' } })
    hashContent = contentHasher(env.db)
  })

  afterAll(async () => {
    agent?.destroy()
    await server?.close()
    env?.dispose()
    process.off('uncaughtException', onUnexpected)
    process.off('unhandledRejection', onUnexpected)
  })

  it(`refuses ${PAYLOADS_PER_METHOD * API_METHODS.length} malformed payloads per transport with typed errors, leaving the database byte for byte as it was`, async () => {
    env.db.pragma('wal_checkpoint(TRUNCATE)')
    const fileBefore = readFileSync(env.dbPath)
    const contentBefore = hashContent()
    const rng = prng(SEED)
    const perCode = new Map<string, number>()
    let calls = 0

    for (const method of API_METHODS) {
      for (let i = 0; i < PAYLOADS_PER_METHOD; i++) {
        for (const transport of [ipc, http]) {
          const payload = malformedPayload(method, rng, transport.ipc)
          const context = `${transport.name} ${method} ${describePayload(payload)}`
          const result = await transport.call(method, payload)
          calls++
          expectTypedResult(result, context)
          expect(result.ok, context).toBe(false)
          if (!result.ok) {
            expect(result.error.code, context).toBe('VALIDATION')
            perCode.set(result.error.code, (perCode.get(result.error.code) ?? 0) + 1)
          }
          // Every refused call: the content is unchanged (a hash of a dump of every table).
          expect(hashContent(), context).toBe(contentBefore)
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(20_000)
    expect(unexpected).toEqual([])
    // And the file itself, once the WAL is folded in, is the same bytes.
    env.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(env.dbPath).equals(fileBefore)).toBe(true)
    // The administrator is still signed in on both transports: nothing disturbed the sessions.
    expect((await ipc.call('getMyAccount', {})).ok).toBe(true)
    expect((await http.call('getMyAccount', {})).ok).toBe(true)
  }, 300_000)

  it('stores SQL fragments and unicode in well-formed payloads literally, and leaves the database unchanged whenever it refuses one', async () => {
    const rng = prng(SEED + 1)
    const created: number[] = []
    for (let i = 0; i < 150; i++) {
      for (const transport of [ipc, http]) {
        const method = rng.pick(['createUser', 'listUsers', 'listAudit', 'getUser', 'updateUser'] as const)
        let payload: Record<string, unknown>
        if (method === 'createUser') {
          const local = rng.pick(["o'brien", 'drop.table', 'robert+tables', 'üser', 'x%_y'])
          payload = { name: validValue('name', rng), email: `${local}.${i}.${transport.name}@example.com`, role: 'user', password: validValue('password', rng) }
        } else if (method === 'listUsers') {
          payload = { query: hostileText(rng, 254), ...(rng.chance(0.5) ? { sort: validValue('sort', rng), direction: validValue('direction', rng) } : {}) }
        } else if (method === 'listAudit') {
          payload = { user: hostileText(rng, 254), action: hostileText(rng, 64) }
        } else if (method === 'getUser') {
          payload = { userId: rng.pick([...created, 999_999]) ?? 999_999 }
        } else {
          payload = { userId: rng.pick([...created, 999_999]) ?? 999_999, name: validValue('name', rng) }
        }
        const before = hashContent()
        const result = await transport.call(method, payload)
        const context = `${transport.name} ${method} ${describePayload(payload)}`
        expectTypedResult(result, context)
        if (!result.ok) {
          expect(hashContent(), context).toBe(before)
          continue
        }
        if (method === 'createUser') {
          const user = result.value as { id: number; name: string; email: string }
          created.push(user.id)
          expect(user.name, context).toBe((payload.name as string).trim())
          expect(user.email, context).toBe((payload.email as string).toLowerCase())
        }
      }
    }
    expect(created.length).toBeGreaterThan(10)
    expect(unexpected).toEqual([])
    expect(env.core.checkIntegrity({ full: true })).toEqual({ ok: true, full: true })
    const audit = await env.cli('listAudit', { limit: 1 })
    expect(audit.chain.broken).toBeNull()
    expect(audit.chain.verifiedThrough).toBe(audit.chain.entries)
  }, 60_000)

  it('refuses at the bridge, before the core, whatever is not our own page with its secret, and changes nothing', async () => {
    const before = hashContent()
    const good = (): Record<string, string> => ({ ...(http as unknown as { headers(): Record<string, string> }).headers() })
    const body = JSON.stringify({ email: 'admin@example.com', password: PASSWORD })
    const cases: Array<[string, string, Record<string, string>, number, string]> = [
      ['missing secret', '/api/login', (({ [TOKEN_HEADER]: _token, ...rest }) => rest)(good()), 401, 'TRANSPORT'],
      ['wrong secret', '/api/login', { ...good(), [TOKEN_HEADER]: `${server.token}x` }, 401, 'TRANSPORT'],
      ['another origin', '/api/login', { ...good(), Origin: 'https://evil.example' }, 403, 'FORBIDDEN'],
      ['a look-alike origin', '/api/login', { ...good(), Origin: `http://127.0.0.1.evil.example:${server.port}` }, 403, 'FORBIDDEN'],
      ['DNS rebinding', '/api/login', { ...good(), Host: `evil.example:${server.port}` }, 403, 'FORBIDDEN'],
      ['a non-loopback Host', '/api/login', { ...good(), Host: `192.168.1.10:${server.port}` }, 403, 'FORBIDDEN'],
      ['prototype names as methods', '/api/__proto__', good(), 404, 'NOT_FOUND'],
      ['constructor as a method', '/api/constructor', good(), 404, 'NOT_FOUND'],
      ['toString as a method', '/api/toString', good(), 404, 'NOT_FOUND'],
      ['an encoded method name', '/api/log%69n', good(), 404, 'NOT_FOUND'],
      ['a service method outside the contract', '/api/seedDemoDirectory', good(), 404, 'NOT_FOUND'],
      ['another service method outside the contract', '/api/findUserIdByEmail', good(), 404, 'NOT_FOUND']
    ]
    for (const [what, path, headers, status, code] of cases) {
      const reply = await http.raw(path, body, headers)
      expect(reply.status, what).toBe(status)
      expect(JSON.parse(reply.body), what).toMatchObject({ ok: false, error: { code } })
    }
    const oversize = await http.raw('/api/createUser', JSON.stringify({ name: 'x'.repeat(70 * 1024) }), good())
    expect(oversize.status).toBe(413)
    expect(JSON.parse(oversize.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const notJson = await http.raw('/api/login', '{"email": ', good())
    expect(notJson.status).toBe(400)
    expect(hashContent()).toBe(before)
  })
})
