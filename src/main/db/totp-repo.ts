// SQL for TOTP credentials, pending enrollments and recovery codes.
import type { TotpAlgorithm } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'

export interface TotpParams {
  algorithm: TotpAlgorithm
  digits: number
  period: number
}

export interface CredentialRecord extends TotpParams {
  userId: number
  secretEnc: Buffer
  confirmedAt: number
  lastUsedStep: number | null
}

export interface EnrollmentRecord extends TotpParams {
  userId: number
  secretEnc: Buffer
  createdAt: number
  expiresAt: number
}

interface CredentialRow {
  user_id: number
  secret_enc: Buffer
  algorithm: string
  digits: number
  period: number
  confirmed_at: number
  last_used_step: number | null
}

interface EnrollmentRow {
  user_id: number
  secret_enc: Buffer
  algorithm: string
  digits: number
  period: number
  created_at: number
  expires_at: number
}

export function findCredential(db: Database, userId: number): CredentialRecord | null {
  const row = statement(db, 'SELECT * FROM totp_credentials WHERE user_id = ?').get(userId) as CredentialRow | undefined
  if (!row) return null
  return {
    userId: row.user_id,
    secretEnc: row.secret_enc,
    algorithm: row.algorithm as TotpAlgorithm,
    digits: row.digits,
    period: row.period,
    confirmedAt: row.confirmed_at,
    lastUsedStep: row.last_used_step
  }
}

/**
 * Records that a time step was used, only if it is newer than the last one.
 * Returns false when another call (or process) already used this step or a later one.
 */
export function advanceLastUsedStep(db: Database, userId: number, step: number): boolean {
  const result = statement(db, 'UPDATE totp_credentials SET last_used_step = @step WHERE user_id = @userId AND (last_used_step IS NULL OR last_used_step < @step)')
    .run({ userId, step })
  return result.changes === 1
}

export function insertCredential(db: Database, credential: CredentialRecord): void {
  statement(
    db,
    `INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at, last_used_step)
     VALUES (@userId, @secretEnc, @algorithm, @digits, @period, @confirmedAt, @lastUsedStep)`
  ).run(credential)
}

export function deleteCredential(db: Database, userId: number): boolean {
  return statement(db, 'DELETE FROM totp_credentials WHERE user_id = ?').run(userId).changes === 1
}

export function findEnrollment(db: Database, userId: number): EnrollmentRecord | null {
  const row = statement(db, 'SELECT * FROM totp_enrollments WHERE user_id = ?').get(userId) as EnrollmentRow | undefined
  if (!row) return null
  return {
    userId: row.user_id,
    secretEnc: row.secret_enc,
    algorithm: row.algorithm as TotpAlgorithm,
    digits: row.digits,
    period: row.period,
    createdAt: row.created_at,
    expiresAt: row.expires_at
  }
}

export function upsertEnrollment(db: Database, enrollment: EnrollmentRecord): void {
  statement(
    db,
    `INSERT INTO totp_enrollments (user_id, secret_enc, algorithm, digits, period, created_at, expires_at)
     VALUES (@userId, @secretEnc, @algorithm, @digits, @period, @createdAt, @expiresAt)
     ON CONFLICT (user_id) DO UPDATE SET
       secret_enc = excluded.secret_enc, algorithm = excluded.algorithm, digits = excluded.digits,
       period = excluded.period, created_at = excluded.created_at, expires_at = excluded.expires_at`
  ).run(enrollment)
}

export function deleteEnrollment(db: Database, userId: number): void {
  statement(db, 'DELETE FROM totp_enrollments WHERE user_id = ?').run(userId)
}

export function deleteExpiredEnrollments(db: Database, now: number): number {
  return statement(db, 'DELETE FROM totp_enrollments WHERE expires_at <= ?').run(now).changes
}

// ---- Recovery codes ----

export function replaceRecoveryCodes(db: Database, userId: number, codeHashes: readonly string[]): void {
  statement(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(userId)
  const insert = statement(db, 'INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)')
  for (const hash of codeHashes) insert.run(userId, hash)
}

export function deleteRecoveryCodes(db: Database, userId: number): void {
  statement(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(userId)
}

/** Marks an unused code as used; false when no unused code has this hash. */
export function consumeRecoveryCode(db: Database, userId: number, codeHash: string, now: number): boolean {
  return (
    statement(db, 'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(now, userId, codeHash).changes ===
    1
  )
}

export function countUnusedRecoveryCodes(db: Database, userId: number): number {
  return (statement(db, 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').get(userId) as { n: number }).n
}
