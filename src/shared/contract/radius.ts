// RADIUS clients: the network devices (VPN gateways, Wi-Fi controllers,
// switches) allowed to ask the RADIUS service to check a sign-in (admins only).
import type { ListsEvery, NoInput } from './slice'

export interface RadiusClientView {
  name: string
  /** An address or a CIDR block: requests from anywhere else are discarded. */
  address: string
  /** Every user of this client needs 2FA, enforced or not. */
  require2fa: boolean
  createdAt: number
  createdBy: string
}

export interface AddRadiusClientInput {
  name: string
  address: string
  /** The shared secret (at least 16 characters); omitted: a random one is made and returned once. */
  secret?: string
  require2fa: boolean
}

export interface RadiusApi {
  listRadiusClients: { input: NoInput; output: RadiusClientView[] }
  /** `secret` in the answer only when it was made here: shown once, never again. */
  addRadiusClient: { input: AddRadiusClientInput; output: { client: RadiusClientView; secret: string | null } }
  removeRadiusClient: { input: { name: string }; output: null }
}

export const RADIUS_METHODS = ['listRadiusClients', 'addRadiusClient', 'removeRadiusClient'] as const
const listed: ListsEvery<RadiusApi, typeof RADIUS_METHODS> = true
void listed

export const MIN_RADIUS_SECRET_LENGTH = 16
export const MAX_RADIUS_SECRET_LENGTH = 128
