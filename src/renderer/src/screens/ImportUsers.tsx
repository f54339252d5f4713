// The Import users dialog of Account > Users, connected to its slice.
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ImportUsersDialog } from '../components/ImportUsersDialog'
import { useAppStore } from '../store/context'

export function ImportUsers({ onClose }: { onClose: () => void }) {
  const state = useAppStore(
    useShallow((s) => ({
      step: s.userImport.step,
      fileName: s.userImport.fileName,
      ignoreUnknownColumns: s.userImport.ignoreUnknownColumns,
      result: s.userImport.result,
      progress: s.userImport.progress,
      error: s.userImport.error
    }))
  )
  const { reset, check, apply, setIgnoreUnknownColumns } = useAppStore((s) => s.userImport.actions)
  // Every opening starts at the file picker.
  useEffect(() => reset(), [reset])
  return (
    <ImportUsersDialog
      {...state}
      onChooseFile={(file) => void check(file)}
      onIgnoreUnknownColumns={(ignore) => void setIgnoreUnknownColumns(ignore)}
      onImport={() => void apply()}
      onChooseAnother={reset}
      onClose={() => {
        reset()
        onClose()
      }}
    />
  )
}
