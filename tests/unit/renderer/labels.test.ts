// The words the screens share with the command line, as the vendor help page writes them.
import { describe, expect, it } from 'vitest'
import { TWO_FACTOR_STATUSES } from '../../../src/shared/domain'
import { ENFORCEMENT_LABEL, STATUS_LABEL } from '../../../src/shared/labels'

describe('shared labels', () => {
  it('name each 2FA status exactly', () => {
    expect(TWO_FACTOR_STATUSES.map((status) => STATUS_LABEL[status])).toEqual(['2FA active', '2FA enforced, activation pending', '2FA not active'])
  })

  it('name the enforcement controls as the help page does', () => {
    expect(ENFORCEMENT_LABEL).toEqual({ forUser: 'Enforce 2FA activation', forAll: 'Enforce 2FA for all users', revoke: 'Revoke enforcement' })
  })
})
