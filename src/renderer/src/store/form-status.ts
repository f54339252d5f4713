// The state of one form or button that calls the app: pending, error, success.
import type { ApiError } from '../../../shared/errors'

export interface FormStatus {
  pending: boolean
  error: string | null
  success: string | null
}

export const IDLE: FormStatus = { pending: false, error: null, success: null }
export const PENDING: FormStatus = { pending: true, error: null, success: null }

export function failed(error: ApiError): FormStatus {
  return { pending: false, error: error.message, success: null }
}

export function succeeded(message: string | null = null): FormStatus {
  return { pending: false, error: null, success: message }
}
