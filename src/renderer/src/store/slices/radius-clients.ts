// Account > RADIUS clients: the network devices allowed to ask the RADIUS
// service to check a sign-in, adding one and removing one. A shared secret the
// app made is handed back to the screen from `add` and never kept here: the
// screen shows it once and forgets it when it closes (or the window reloads).
import type { AddRadiusClientInput, RadiusClientView } from '../../../../shared/contract/radius'
import type { ApiError } from '../../../../shared/errors'
import { IDLE, runAction, withStatus, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export type RadiusClientAction = 'add' | 'remove'

/** The fields of the Add client form, as the contract names them. */
export type RadiusClientField = 'name' | 'address' | 'secret'

export interface RadiusClientsSlice {
  clients: RadiusClientView[]
  /** The first load answered: an empty list then means no client is set up. */
  loaded: boolean
  loading: boolean
  loadError: string | null
  status: Record<RadiusClientAction, ActionStatus>
  /** The form field the app refused, to mark and focus it. */
  invalidField: RadiusClientField | null

  actions: {
    open: () => Promise<void>
    /** Something changed elsewhere (the command line, another window): fetch the list again in place. */
    refresh: () => Promise<Followed>
    /** Resolves to the app's answer (with the secret it made, if it made one), or null when refused. */
    add: (input: AddRadiusClientInput) => Promise<{ client: RadiusClientView; secret: string | null } | null>
    remove: (name: string) => Promise<boolean>
    /** The Add client dialog opens or closes: what the last attempt said no longer applies. */
    resetAdd: () => void
    resetRemove: () => void
  }
}

const NO_STATUS: Record<RadiusClientAction, ActionStatus> = { add: IDLE, remove: IDLE }

function invalidFieldOf(error: ApiError): RadiusClientField | null {
  if (error.code !== 'VALIDATION') return null
  return error.field === 'name' || error.field === 'address' || error.field === 'secret' ? error.field : null
}

const byName = (a: RadiusClientView, b: RadiusClientView) => a.name.localeCompare(b.name)

export const createRadiusClientsSlice: SliceCreator<'radiusClients'> = ({ set, get, call }) => {
  const show = (action: RadiusClientAction) => (status: ActionStatus) => set((state) => ({ status: withStatus(state.status, action, status) }))
  const busy = () => get().status.add.pending || get().status.remove.pending
  /** Each answer that sets the list takes a ticket: a refresh asked for before it is older, and dropped. */
  const writes = latestOnly()

  return {
    clients: [],
    loaded: false,
    loading: false,
    loadError: null,
    status: NO_STATUS,
    invalidField: null,

    actions: {
      open: async () => {
        if (!busy()) set({ status: NO_STATUS, invalidField: null })
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('listRadiusClients', {}),
          keep: (clients) => {
            writes.next()
            set({ clients, loaded: true })
          }
        })
      },

      refresh: async () => {
        if (get().loading || busy()) return false
        if (!get().loaded) return true
        const ticket = writes.current()
        const result = await call('listRadiusClients', {})
        if (!ticket.isLatest() || busy()) return false
        if (result.ok) set({ clients: result.value })
        return true
      },

      add: async (input) => {
        set({ invalidField: null })
        const result = await runAction({
          show: show('add'),
          send: () => call('addRadiusClient', input),
          keep: ({ client }) => {
            writes.next()
            set((state) => ({ clients: [...state.clients.filter((c) => c.name !== client.name), client].sort(byName) }))
          },
          success: ({ client }) => `${client.name} was added.`
        })
        if (result && !result.ok) set({ invalidField: invalidFieldOf(result.error) })
        return result?.ok ? result.value : null
      },

      remove: async (name) => {
        const result = await runAction({
          show: show('remove'),
          send: () => call('removeRadiusClient', { name }),
          keep: () => {
            writes.next()
            set((state) => ({ clients: state.clients.filter((client) => client.name !== name) }))
          },
          success: () => `${name} was removed: it can no longer ask to check sign-ins.`
        })
        return result?.ok === true
      },

      resetAdd: () => set((state) => ({ invalidField: null, status: { ...state.status, add: state.status.add.pending ? state.status.add : IDLE } })),
      resetRemove: () => set((state) => ({ status: { ...state.status, remove: state.status.remove.pending ? state.status.remove : IDLE } }))
    }
  }
}
