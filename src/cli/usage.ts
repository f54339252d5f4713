// A mistake in how the command was called: printed on one line, exit status 2.
export class UsageError extends Error {}
