// A temp database filled by the demo generator, for tests that need volume.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type Database, type OpenOptions } from '../../../src/main/db/connection'
import { seedDemoDirectory } from '../../../src/main/core/demo/demo-seed'
import { chainKeyOf, keyAuditChain } from '../../../src/main/core/audit/chain'
import { START } from './harness'

export const TEST_DATA_KEY = Buffer.alloc(32, 7)

export interface DemoDatabase {
  db: Database
  path: string
  dispose(): void
}

export function seededDatabase(users: number, seed = 1, options: OpenOptions = {}): DemoDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'twofa-scale-'))
  const path = join(dir, 'directory.db')
  const db = openDatabase(path, options)
  // As openCore does: the demo seeding writes a keyed audit entry.
  keyAuditChain(db, { key: () => chainKeyOf(TEST_DATA_KEY), appended: () => {} })
  seedDemoDirectory(db, TEST_DATA_KEY, { users, seed, now: START, force: false, actor: 'test' })
  return {
    db,
    path,
    dispose: () => {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
