/** The navigation each role sees; a person with several roles sees the union, in this order. */
import type { Role } from '~/domain/roles'

export type NavLink = { to: string; label: string }

const linksByRole: Record<Role, NavLink[]> = {
  candidate: [{ to: '/me', label: 'My profile' }],
  mentor: [{ to: '/mentees', label: 'My mentees' }],
  hr: [{ to: '/people', label: 'People' }],
  admin: [
    { to: '/admin/people', label: 'Administer people' },
    { to: '/admin/audit', label: 'Audit log' },
  ],
}

export function navFor(roles: readonly Role[]): NavLink[] {
  const links: NavLink[] = [{ to: '/', label: 'Home' }]
  for (const role of ['candidate', 'mentor', 'hr', 'admin'] as const) {
    if (roles.includes(role)) links.push(...linksByRole[role])
  }
  links.push({ to: '/framework', label: 'Framework' })
  return links
}

export const roleLabels: Record<Role, string> = { candidate: 'Candidate', mentor: 'Mentor', hr: 'HR', admin: 'Admin' }
