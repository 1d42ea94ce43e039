/** How the ceiling server (ceiling.ts) finds a recorded response: the operation's text and variables. */
export const recordingKey = (query: string, variables: Record<string, unknown> | undefined | null): string => JSON.stringify([query, variables ?? null]);
