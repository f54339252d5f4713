// Temporary: the status labels move to src/shared/labels.ts, shared with the screens.
import type { TwoFactorStatus } from '../shared/domain'

export const STATUS_LABEL: Record<TwoFactorStatus, string> = {
  active: '2FA active',
  pending: '2FA enforced, activation pending',
  inactive: '2FA not active'
}
