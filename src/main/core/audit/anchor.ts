// The newest link of the audit chain, kept outside the database in
// `<db>.audit-head` (owner only) and sealed with the chain key: someone who
// deletes the newest entries, or moves where the keyed links begin, leaves the
// database disagreeing with it. Written after each commit that appended (a
// crash in between only leaves it one step behind, which is not a finding).
// A missing anchor is written anew from the database, and that is itself
// recorded in the log ("audit.anchor-created"), so it cannot go unseen.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

export interface Anchor {
  /** The newest entry's id and hash. */
  id: number
  hash: string
  /** The first keyed link. */
  keyedFrom: number
}

export function anchorPath(dbPath: string): string {
  return `${dbPath}.audit-head`
}

function seal(key: Buffer, anchor: Anchor): string {
  return createHmac('sha256', key).update(`twofa-admin:audit-head|${anchor.id}|${anchor.hash}|${anchor.keyedFrom}`).digest('hex')
}

export type AnchorRead = { kind: 'missing' } | { kind: 'forged' } | { kind: 'ok'; anchor: Anchor }

export function readAnchor(path: string, key: Buffer): AnchorRead {
  if (!existsSync(path)) return { kind: 'missing' }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Anchor> & { mac?: unknown }
    const anchor: Anchor = { id: Number(parsed.id), hash: String(parsed.hash), keyedFrom: Number(parsed.keyedFrom) }
    if (!Number.isSafeInteger(anchor.id) || !Number.isSafeInteger(anchor.keyedFrom) || typeof parsed.mac !== 'string') return { kind: 'forged' }
    const expected = Buffer.from(seal(key, anchor), 'hex')
    const given = Buffer.from(parsed.mac, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected) ? { kind: 'ok', anchor } : { kind: 'forged' }
  } catch {
    return { kind: 'forged' }
  }
}

export function writeAnchor(path: string, key: Buffer, anchor: Anchor): void {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`
  writeFileSync(temporary, `${JSON.stringify({ ...anchor, mac: seal(key, anchor) })}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(temporary, 0o600)
  renameSync(temporary, path)
}
