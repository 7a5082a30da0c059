/** The navigation each role sees; a person with several roles sees the union, in this order. */
import type { Role } from '~/domain/roles'

export type NavLink = { to: string; label: string }

const linksByRole: Record<Role, NavLink[]> = {
  candidate: [
    { to: '/me', label: 'My profile' },
    { to: '/program', label: 'My program' },
    { to: '/cycles', label: 'My 360s' },
  ],
  mentor: [
    { to: '/program', label: 'My mentees' },
    { to: '/queue', label: 'Sign-offs' },
    { to: '/cycles', label: '360 cycles' },
  ],
  hr: [
    { to: '/pipeline', label: 'Pipeline' },
    { to: '/people', label: 'People' },
    { to: '/program', label: 'Program' },
    { to: '/queue', label: 'Approvals' },
    { to: '/cycles', label: '360 cycles' },
    { to: '/outbox', label: 'Outbox' },
  ],
  admin: [
    { to: '/admin/people', label: 'Administer people' },
    { to: '/pipeline', label: 'Pipeline' },
    { to: '/admin/audit', label: 'Audit log' },
    { to: '/outbox', label: 'Outbox' },
  ],
}

export function navFor(roles: readonly Role[]): NavLink[] {
  const links: NavLink[] = [{ to: '/', label: 'Home' }]
  for (const role of ['candidate', 'mentor', 'hr', 'admin'] as const) {
    if (!roles.includes(role)) continue
    // One link per page, even when several roles lead to it.
    for (const link of linksByRole[role]) if (!links.some((l) => l.to === link.to)) links.push(link)
  }
  links.push({ to: '/framework', label: 'Framework' })
  return links
}

export const roleLabels: Record<Role, string> = { candidate: 'Candidate', mentor: 'Mentor', hr: 'HR', admin: 'Admin' }
