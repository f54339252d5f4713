// The data key that encrypts TOTP secrets and peppers recovery codes, as the
// features use it: fetched from its KeyProvider (crypto/keys.ts) and checked
// once against the key check value the database holds, so a key file that
// belongs to another database is refused before it could seal anything.
import { AppError } from '../../shared/errors'
import { writeTransaction, type Database } from '../db/connection'
import { readMeta, writeMeta } from '../db/meta-repo'
import type { KeyProvider } from './crypto/keys'
import { keyCheckValue } from './crypto/secrets'

export class DataKey {
  private checked = false

  constructor(
    private readonly db: Database,
    private readonly provider: KeyProvider
  ) {}

  /** Where the key lives, for messages. */
  get description(): string {
    return this.provider.description
  }

  /** The 32-byte key; the first call records or compares its check value. Throws KEY_UNAVAILABLE. */
  get(): Buffer {
    if (this.checked) return this.provider.getDataKey()
    // A database that records a key is never given a new one.
    const key = this.provider.getDataKey({ create: readMeta(this.db, 'key_check') === null })
    const expected = keyCheckValue(key)
    writeTransaction(this.db, () => {
      const stored = readMeta(this.db, 'key_check')
      if (stored === null) writeMeta(this.db, 'key_check', expected)
      else if (stored !== expected) {
        throw new AppError(
          'KEY_UNAVAILABLE',
          `The secrets key (${this.provider.description}) does not belong to this database. Use the key that was created with it.`
        )
      }
    })
    this.checked = true
    return key
  }
}
