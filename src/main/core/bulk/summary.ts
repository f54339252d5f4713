// The sentence a bulk change's confirmation (and its result) states, from its
// exact counts: "312 users will have to activate 2FA at their next login; 12
// administrators are always enforced and unchanged." The screens and the
// command line show it as it is.
import type { BulkCounts } from '../../../shared/contract/bulk'

export type Tense = 'preview' | 'done'
type Counts = Omit<BulkCounts, 'summary'>

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

const users = (n: number): string => count(n, 'user', 'users')
const isAre = (n: number): string => (n === 1 ? 'is' : 'are')
const hasHave = (n: number): string => (n === 1 ? 'has' : 'have')

function future(tense: Tense, willDo: string, did: string): string {
  return tense === 'preview' ? willDo : did
}

function leadClause(counts: Counts, tense: Tense): string[] {
  const n = counts.willChange
  const t = (willDo: string, did: string): string => future(tense, willDo, did)
  switch (counts.action) {
    case 'enforce': {
      const others = n - counts.willHaveToActivate
      const enforcedToo = `with 2FA active or already enforced ${t('will be', others === 1 ? 'was' : 'were')} enforced individually`
      if (counts.willHaveToActivate === 0) return [`${users(others)} ${enforcedToo}`]
      const lead = `${users(counts.willHaveToActivate)} ${t('will have to', `now ${hasHave(counts.willHaveToActivate)} to`)} activate 2FA at their next login`
      return others > 0 ? [lead, `${users(others)} ${enforcedToo} too`] : [lead]
    }
    case 'exempt':
      return [
        `${users(n)} ${t('will be', n === 1 ? 'was' : 'were')} exempted from 2FA enforcement`,
        ...(counts.wouldNoLongerHaveTo > 0 ? [`${count(counts.wouldNoLongerHaveTo, 'of them', 'of them')} ${t('will no longer have', 'no longer ' + hasHave(counts.wouldNoLongerHaveTo))} to activate 2FA`] : [])
      ]
    case 'inherit':
      return [
        `${users(n)} ${t('will follow', 'now follow' + (n === 1 ? 's' : ''))} the policy`,
        ...(counts.willHaveToActivate > 0 ? [`${count(counts.willHaveToActivate, 'of them', 'of them')} ${t('will have', 'now ' + hasHave(counts.willHaveToActivate))} to activate 2FA`] : []),
        ...(counts.wouldNoLongerHaveTo > 0 ? [`${count(counts.wouldNoLongerHaveTo, 'of them', 'of them')} ${t('will no longer have', 'no longer ' + hasHave(counts.wouldNoLongerHaveTo))} to activate 2FA`] : [])
      ]
    case 'unlock':
      return [`${users(n)} ${t('will be', n === 1 ? 'was' : 'were')} unlocked`]
    case 'resetTwoFactor':
      return [
        `${users(n)} ${t('will have', n === 1 ? 'had' : 'had')} their 2FA reset: authenticator and recovery codes removed, sessions ended`,
        ...(counts.willHaveToActivate > 0 ? [`${count(counts.willHaveToActivate, 'of them', 'of them')} ${t('will have', 'now ' + hasHave(counts.willHaveToActivate))} to activate 2FA again at their next login`] : [])
      ]
    case 'disable':
      return [`${users(n)} ${t('will be', n === 1 ? 'was' : 'were')} disabled and signed out`]
  }
}

const ALREADY: Record<BulkCounts['action'], string> = {
  enforce: 'already enforced individually',
  exempt: 'already exempt',
  inherit: 'already following the policy',
  unlock: 'not locked',
  resetTwoFactor: 'without 2FA set up',
  disable: 'already disabled'
}

export function bulkSummary(counts: Counts, tense: Tense): string {
  // Nothing to change: the clauses below say why.
  const clauses = counts.willChange === 0 ? [tense === 'preview' ? 'nothing will change' : 'nothing changed'] : leadClause(counts, tense)
  if (counts.administratorsUnchanged > 0) {
    clauses.push(`${count(counts.administratorsUnchanged, 'administrator', 'administrators')} ${isAre(counts.administratorsUnchanged)} always enforced and unchanged`)
  }
  if (counts.alreadyInThatState > 0) clauses.push(`${users(counts.alreadyInThatState)} ${ALREADY[counts.action]} ${isAre(counts.alreadyInThatState)} unchanged`)
  if (counts.blockedSelf > 0) {
    clauses.push(counts.action === 'disable' ? 'your own account is left out: you cannot disable yourself' : 'your own account is left out: reset your own 2FA on My account')
  }
  if (counts.blockedLastAdmin > 0) clauses.push('the last active administrator stays enabled: make another user an administrator first')
  const text = clauses.join('; ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}
