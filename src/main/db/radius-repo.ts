// SQL of the RADIUS clients: the devices allowed to ask the RADIUS service.
import type { Database } from './sqlite'
import { statement } from './statements'

export interface RadiusClientRecord {
  id: number
  name: string
  address: string
  secretEnc: Buffer
  require2fa: boolean
  createdAt: number
  createdBy: string
}

interface RadiusClientRow {
  id: number
  name: string
  address: string
  secret_enc: Buffer
  require_2fa: number
  created_at: number
  created_by: string
}

const toRecord = (row: RadiusClientRow): RadiusClientRecord => ({
  id: row.id,
  name: row.name,
  address: row.address,
  secretEnc: row.secret_enc,
  require2fa: row.require_2fa === 1,
  createdAt: row.created_at,
  createdBy: row.created_by
})

export function listRadiusClients(db: Database): RadiusClientRecord[] {
  return (statement(db, 'SELECT * FROM radius_clients ORDER BY name COLLATE NOCASE').all() as RadiusClientRow[]).map(toRecord)
}

export function findRadiusClient(db: Database, name: string): RadiusClientRecord | null {
  const row = statement(db, 'SELECT * FROM radius_clients WHERE name = ?').get(name) as RadiusClientRow | undefined
  return row ? toRecord(row) : null
}

export function insertRadiusClient(db: Database, client: Omit<RadiusClientRecord, 'id'>): number {
  return Number(
    statement(
      db,
      `INSERT INTO radius_clients (name, address, secret_enc, require_2fa, created_at, created_by)
       VALUES (@name, @address, @secretEnc, @require2fa, @createdAt, @createdBy)`
    ).run({ ...client, require2fa: client.require2fa ? 1 : 0 }).lastInsertRowid
  )
}

export function deleteRadiusClient(db: Database, name: string): boolean {
  return statement(db, 'DELETE FROM radius_clients WHERE name = ?').run(name).changes === 1
}

/**
 * Changes whenever a client is added or removed: the service reloads its table of clients when it
 * does. Each sealed secret's random IV (bytes 2-13) makes a client added again under the same id,
 * name and address differ from the one removed.
 */
export function radiusClientsVersion(db: Database): string {
  return statement(
    db,
    "SELECT coalesce(group_concat(id || '/' || hex(substr(secret_enc, 2, 12)) || '/' || require_2fa, ';'), '') FROM (SELECT * FROM radius_clients ORDER BY id)",
    { pluck: true }
  ).get() as string
}
