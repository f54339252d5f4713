// Review of issue 12: every method of the contract, with valid input, called
// from each restricted session the issue adds: a temporary access pass session
// (of a user and of an administrator), the administrator's locked session during
// a hand-over, the user's hand-over session at each stage, and a password-only
// session in a grace period. A method that answers anything but a guard's refusal
// got past the guard: it must be one this stage is meant to reach.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { API_METHODS, type ApiMethod } from '../../../src/shared/contract'
import type { ErrorCode } from '../../../src/shared/errors'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { addUser, PASSWORD, secretFromUri, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const MARIA = 'maria@example.com'
let env: TestEnv
let admin: Screen
let adminSecret: Buffer
let mariaId: number
let groupId: number
beforeEach(async () => {
  env = new TestEnv()
  ;({ screen: admin, secret: adminSecret } = await setUpAdmin(env))
  mariaId = await addUser(env, MARIA)
  groupId = (await env.cli('createGroup', { name: 'G' })).id
})
afterEach(() => env.dispose())

const NEW_PASSWORD = 'another long password tulip 42'
const input = (): Record<ApiMethod, Record<string, unknown>> => ({
  getAppState: {},
  setupFirstAdmin: { name: 'X', email: 'x@example.com', password: NEW_PASSWORD },
  login: { email: MARIA, password: PASSWORD },
  verifyCode: { code: '123456' },
  verifyRecoveryCode: { code: 'abcde-12345' },
  logout: {},
  reauthenticate: { password: PASSWORD },
  startEnrollment: {},
  confirmEnrollment: { code: '123456' },
  getMyAccount: {},
  deactivateMyTwoFactor: { code: '123456' },
  regenerateRecoveryCodes: { code: '123456' },
  changePassword: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
  listUsers: {},
  countUsers: {},
  getUser: { userId: 1 },
  createUser: { name: 'Eve', email: 'eve@example.com', role: 'admin', password: NEW_PASSWORD },
  updateUser: { userId: mariaId, role: 'admin' },
  setEnforceTwoFactorActivation: { userId: mariaId, enforce: false },
  setEnforcement: { userId: mariaId, enforcement: 'exempt' },
  resetTwoFactor: { userId: 1 },
  unlockUser: { userId: mariaId },
  getSecurityOverview: {},
  enforceForAllUsers: {},
  revokeEnforcement: {},
  previewEnforcement: { target: { kind: 'all' } },
  setPolicyExemptionGroup: { groupId },
  setIdleTimeout: { minutes: 20 },
  listGroups: {},
  getGroup: { groupId },
  createGroup: { name: 'Z' },
  deleteGroup: { groupId },
  addGroupMembers: { groupId, emails: [MARIA] },
  removeGroupMembers: { groupId, emails: [MARIA] },
  enforceGroup: { groupId },
  revokeGroupEnforcement: { groupId },
  listAudit: {},
  getAuditChainStatus: {},
  verifyWholeAuditLog: {},
  getChangeStamp: {},
  getDirectoryConnection: {},
  setDirectoryConnection: { preset: 'openldap', url: 'ldap://127.0.0.1:1', baseDn: 'dc=example,dc=com', bindDn: 'cn=a,dc=example,dc=com', bindPassword: 'x' },
  testDirectoryConnection: {},
  syncDirectory: { dryRun: true },
  getDirectorySyncProgress: {},
  listRadiusClients: {},
  addRadiusClient: { name: 'vpn', address: '192.0.2.10', require2fa: false },
  removeRadiusClient: { name: 'vpn' },
  setUserPassword: { userId: 1, password: NEW_PASSWORD },
  importUsers: { csv: 'email\nz@example.com\n', dryRun: true },
  getImportProgress: {},
  exportUsers: { format: 'csv' },
  exportAudit: { format: 'csv' },
  getExport: { exportId: 'a'.repeat(32) },
  getTwoFactorHistory: {},
  issueTemporaryPass: { userId: 1 },
  revokeTemporaryPass: { userId: 1 },
  setFirstPassword: { password: NEW_PASSWORD },
  startInPersonEnrollment: { userId: 1 },
  identifyInPerson: { secret: 'x' },
  cancelInPersonEnrollment: {},
  endInPersonEnrollment: { password: 'wrong' },
  previewBulkChange: { selection: { userIds: [1] }, action: 'unlock' },
  applyBulkChange: { selection: { userIds: [1] }, action: 'unlock' },
  bulkInstructions: {}
})

/** What a guard answers. Anything else means the call got past it. */
const GUARD: ErrorCode[] = ['UNAUTHENTICATED', 'SESSION_EXPIRED', 'ENROLLMENT_REQUIRED', 'HANDOVER_IN_PROGRESS', 'FORBIDDEN']
/** Never swept: they end or replace the session by design. */
const SKIP: ApiMethod[] = ['login', 'logout', 'getAppState', 'setupFirstAdmin']

async function sweep(screen: Screen, allowed: ApiMethod[]): Promise<string[]> {
  const passed: string[] = []
  const inputs = input()
  for (const method of API_METHODS) {
    if (SKIP.includes(method) || allowed.includes(method)) continue
    const before = screen.holder.sessionId
    const result = await screen.call(method, inputs[method])
    if (result.ok || !GUARD.includes(result.error.code)) passed.push(`${method}: ${result.ok ? 'ok' : result.error.code}`)
    // A guard that ends the session would hide the rest of the sweep: restore it (the store still has it or not).
    screen.holder.sessionId = before
  }
  // The sweep saw the session itself, not a session some guard had ended (a locked administrator's
  // session shows nothing to getAppState, so it is asked for with a method it must refuse as locked).
  const state = await screen.ok('getAppState')
  const locked = state.session === null && !(await screen.call('getMyAccount')).ok && (await screen.fail('getMyAccount')).code === 'HANDOVER_IN_PROGRESS'
  if (state.session === null && !locked) passed.push('(the session ended during the sweep)')
  return passed
}

describe('restricted sessions reach nothing beyond their steps', () => {
  it('a temporary access pass session (user)', async () => {
    const { pass } = await admin.ok('issueTemporaryPass', { userId: mariaId, singleUse: false })
    const screen = env.screen()
    expect((await screen.ok('login', { email: MARIA, password: pass })).step).toBe('temporary-pass')
    expect(await sweep(screen, ['startEnrollment', 'confirmEnrollment', 'setFirstPassword'])).toEqual([])
  })

  it('a temporary access pass session (an administrator)', async () => {
    const bossId = await addUser(env, 'boss@example.com', 'admin')
    const { pass } = await admin.ok('issueTemporaryPass', { userId: bossId })
    const screen = env.screen()
    expect((await screen.ok('login', { email: 'boss@example.com', password: pass })).step).toBe('temporary-pass')
    expect(await sweep(screen, ['startEnrollment', 'confirmEnrollment', 'setFirstPassword'])).toEqual([])
  })

  it('the administrator’s locked session and the hand-over session at each stage', async () => {
    const copy = env.screen()
    copy.holder.sessionId = admin.holder.sessionId
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    const desk = ['identifyInPerson', 'cancelInPersonEnrollment', 'endInPersonEnrollment', 'startEnrollment', 'confirmEnrollment'] as ApiMethod[]
    expect(await sweep(copy, []), 'locked admin session').toEqual([])
    expect(await sweep(admin, desk), 'identify').toEqual([])
    await admin.ok('identifyInPerson', { secret: PASSWORD })
    expect(await sweep(copy, []), 'locked admin session').toEqual([])
    expect(await sweep(admin, desk), 'enroll').toEqual([])
    const start = await admin.ok('startEnrollment')
    await admin.ok('confirmEnrollment', { code: codeAt(secretFromUri(start.otpauthUri), env.clock.now()) })
    expect(await sweep(copy, []), 'locked admin session').toEqual([])
    expect(await sweep(admin, desk), 'done').toEqual([])
    env.clock.advance(30_000)
    await admin.ok('endInPersonEnrollment', { code: codeAt(adminSecret, env.clock.now()) })
  })

  it('a password-only session in a grace period reaches only what a signed-in user without 2FA may', async () => {
    await env.cli('enforceForAllUsers', { graceDays: 7 })
    const screen = env.screen()
    expect((await screen.ok('login', { email: MARIA, password: PASSWORD })).step).toBe('signed-in')
    const self = ['startEnrollment', 'confirmEnrollment', 'getMyAccount', 'changePassword', 'deactivateMyTwoFactor', 'regenerateRecoveryCodes', 'reauthenticate', 'getChangeStamp'] as ApiMethod[]
    expect(await sweep(screen, self)).toEqual([])
  })
})
