// What every slice of the contract is made of: method name -> input and output.
// Type-only, so the sandboxed preload can bundle the contract whole.

/** The input of methods that take none. */
export type NoInput = Record<string, never>

/**
 * Compile-time proof that a list of method names holds every method of a
 * slice: `true` when it does, else the missing names (which fail the check).
 */
export type ListsEvery<Slice, Listed extends readonly string[]> = Exclude<keyof Slice, Listed[number]> extends never ? true : Exclude<keyof Slice, Listed[number]>
