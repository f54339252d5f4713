// The words of the Users selection's actions (issue 13): the buttons, and the
// confirmation's title. The counts in a confirmation are the core's sentence.
import type { BulkAction } from '../../../shared/contract'
import { ENFORCEMENT_LABEL } from '../../../shared/labels'
import { plural } from './format'

/** The buttons of the selection bar, in order; "Enforce 2FA activation" is the spec's checkbox wording. */
export const BULK_ACTION_LABEL: Record<BulkAction, string> = {
  enforce: ENFORCEMENT_LABEL.forUser,
  exempt: 'Exempt',
  inherit: 'Follow policy',
  unlock: 'Unlock',
  resetTwoFactor: 'Reset 2FA',
  disable: 'Disable'
}

export const BULK_ACTIONS_SHOWN: readonly BulkAction[] = ['enforce', 'exempt', 'inherit', 'unlock', 'resetTwoFactor', 'disable']

/** Actions that cannot be undone from here: their confirmation is red and focuses Cancel. */
export function isDestructive(action: BulkAction): boolean {
  return action === 'resetTwoFactor' || action === 'disable'
}

export function confirmTitle(action: BulkAction, selected: number): string {
  const users = plural(selected, 'selected user')
  switch (action) {
    case 'enforce':
      return `Enforce 2FA activation for ${users}?`
    case 'exempt':
      return `Exempt ${users} from 2FA enforcement?`
    case 'inherit':
      return `Let ${users} follow the policy?`
    case 'unlock':
      return `Unlock ${users}?`
    case 'resetTwoFactor':
      return `Reset 2FA of ${users}?`
    case 'disable':
      return `Disable ${users}?`
  }
}

export const INSTRUCTIONS_COPIED = 'Instructions copied'
