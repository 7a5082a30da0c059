/** Roles a person can hold; a person can hold several. Shared by the schema, server and browser. */
export const roles = ['candidate', 'mentor', 'hr', 'admin'] as const
export type Role = (typeof roles)[number]
