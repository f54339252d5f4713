// The Users screen's selection (issue 13), connected to the store's bulk slice:
// the checkbox column's callbacks for UsersTable, the selection bar, the
// confirmation and what the last change did.
import { useEffect, useMemo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { UserRow } from '../../../shared/domain'
import { BulkBar } from '../components/BulkBar'
import { BulkConfirmDialog } from '../components/BulkConfirmDialog'
import { CopiedInstructions } from '../components/CopiedInstructions'
import { ErrorMessage, SuccessMessage } from '../components/Messages'
import type { TableSelection } from '../components/SelectCells'
import { useAppStore } from '../store/context'
import { isSelected, selectedCount } from '../store/slices/bulk'

/** The checkbox column's callbacks; `rowAt` gives the loaded rows a Shift+click range is made of. */
export function useUsersTableSelection(rowAt: (index: number) => UserRow | undefined): TableSelection {
  const { ids, matching, anchor } = useAppStore(useShallow((s) => ({ ids: s.bulk.ids, matching: s.bulk.matching, anchor: s.bulk.anchor })))
  const { toggle, setRows } = useAppStore((s) => s.bulk.actions)
  return useMemo<TableSelection>(
    () => ({
      isSelected: (userId) => isSelected({ ids, matching }, userId),
      onToggle: (user, index, range) => {
        if (!range || anchor === null || anchor === index) return toggle(user.id, index, null)
        const rangeIds: number[] = []
        for (let row = Math.min(anchor, index); row <= Math.max(anchor, index); row++) {
          const at = rowAt(row)
          if (at) rangeIds.push(at.id)
        }
        // The range takes the new state of the row clicked.
        toggle(user.id, index, rangeIds)
      },
      onToggleRows: (users, selected) => setRows(users.map((user) => user.id), selected)
    }),
    [ids, matching, anchor, toggle, setRows, rowAt]
  )
}

/** Above the table: the result of the last change, the instructions copied, and the bar while rows are selected. */
export function UsersSelectionBar({ listVersion, matchingLabel, filtered }: { listVersion: number; matchingLabel: string | null; filtered: boolean }) {
  const { ids, matching, counting, confirm, message, error, instructions } = useAppStore(
    useShallow((s) => ({
      ids: s.bulk.ids,
      matching: s.bulk.matching,
      counting: s.bulk.counting,
      confirm: s.bulk.confirm,
      message: s.bulk.message,
      error: s.bulk.error,
      instructions: s.bulk.instructions
    }))
  )
  const actions = useAppStore((s) => s.bulk.actions)
  const count = selectedCount({ ids, matching })
  // Another list (filter, search, sort): a selection of the last one would act on rows no longer shown.
  useEffect(() => {
    actions.clear()
  }, [listVersion, actions])

  return (
    <>
      <SuccessMessage message={message} />
      <ErrorMessage message={error} />
      {instructions !== null && !instructions.forAll ? (
        <CopiedInstructions text={instructions.text} users={instructions.users} copied={instructions.copied} onDismiss={actions.dismissMessage} />
      ) : null}
      {count > 0 ? (
        <BulkBar
          selected={count}
          allMatching={matching !== null}
          matchingLabel={matchingLabel}
          filtered={filtered}
          counting={counting}
          onSelectAllMatching={() => void actions.selectAllMatching()}
          onClear={actions.clear}
          onAction={(action) => void actions.ask(action)}
          onCopyInstructions={() => void actions.copyInstructions(false)}
        />
      ) : null}
      {confirm !== null ? (
        <BulkConfirmDialog
          action={confirm.action}
          selected={count}
          preview={confirm.preview}
          pending={confirm.pending}
          error={confirm.error}
          onConfirm={() => void actions.apply()}
          onCancel={actions.cancel}
        />
      ) : null}
    </>
  )
}

/** Account > Security: Copy instructions for all users, and its feedback. */
export function CopyInstructionsForAll() {
  const instructions = useAppStore((s) => s.bulk.instructions)
  const error = useAppStore((s) => s.bulk.error)
  const actions = useAppStore((s) => s.bulk.actions)
  return (
    <>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void actions.copyInstructions(true)}>
          Copy instructions
        </button>
      </div>
      {instructions !== null && instructions.forAll ? (
        <CopiedInstructions text={instructions.text} users={instructions.users} copied={instructions.copied} onDismiss={actions.dismissMessage} />
      ) : null}
      <ErrorMessage message={error} />
    </>
  )
}
