// Which screen is shown inside the signed-in shell: a view and its params. Its
// address (the URL's fragment, Back and Forward) is kept by store/route-sync.ts.
import type { SliceCreator } from '../app-state'
import type { View } from '../../lib/route'

export type { View } from '../../lib/route'

export interface NavSlice {
  view: View
  actions: {
    navigate: (view: View) => void
  }
}

export const createNavSlice: SliceCreator<'nav'> = ({ set, app }) => ({
  view: { name: 'my-account' },
  actions: {
    navigate: (view) => {
      // "Show these users" (Account > Security) is a filter of the list, which the list's
      // state and address carry: the view is the list itself.
      if (view.name === 'users' && view.status !== undefined) {
        void app().users.actions.restoreFilter({ status: view.status, query: '' }, app().nav.view.name === 'users')
        set({ view: { name: 'users' } })
        return
      }
      set({ view })
    }
  }
})
