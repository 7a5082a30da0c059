/** The navigation per role (app/domain/navigation.ts): the union of a person's roles, each page once. */
import { describe, expect, it } from 'vitest'
import { navFor, roleLabels } from '~/domain/navigation'

const paths = (roles: Parameters<typeof navFor>[0]) => navFor(roles).map((l) => l.to)

describe('navigation', () => {
  it('gives a person with no role only Home and the Framework', () => {
    expect(navFor([])).toEqual([
      { to: '/', label: 'Home' },
      { to: '/framework', label: 'Framework' },
    ])
  })

  it('shows each role its own pages', () => {
    expect(navFor(['candidate'])).toEqual([
      { to: '/', label: 'Home' },
      { to: '/me', label: 'My profile' },
      { to: '/program', label: 'My program' },
      { to: '/cycles', label: 'My 360s' },
      { to: '/framework', label: 'Framework' },
    ])
    expect(paths(['mentor'])).toEqual(['/', '/program', '/queue', '/cycles', '/framework'])
    expect(paths(['hr'])).toEqual([
      '/',
      '/pipeline',
      '/people',
      '/program',
      '/queue',
      '/cycles',
      '/outbox',
      '/framework',
    ])
    expect(paths(['admin'])).toEqual(['/', '/admin/people', '/pipeline', '/admin/audit', '/outbox', '/framework'])
  })

  it('keeps nothing an admin alone should not see out of reach of HR, and the reverse', () => {
    expect(paths(['hr'])).not.toContain('/admin/audit')
    expect(paths(['admin'])).not.toContain('/people')
  })

  it('shows the union in role order, one link per page, labelled by the first role that has it', () => {
    const nav = navFor(['admin', 'mentor', 'candidate'])
    expect(nav.map((l) => l.to)).toEqual([
      '/',
      '/me',
      '/program',
      '/cycles',
      '/queue',
      '/admin/people',
      '/pipeline',
      '/admin/audit',
      '/outbox',
      '/framework',
    ])
    expect(nav.find((l) => l.to === '/program')?.label).toBe('My program')
    expect(navFor(['mentor', 'hr']).find((l) => l.to === '/queue')?.label).toBe('Sign-offs')
  })

  it('labels every role', () => {
    expect(roleLabels).toEqual({ candidate: 'Candidate', mentor: 'Mentor', hr: 'HR', admin: 'Admin' })
  })
})
