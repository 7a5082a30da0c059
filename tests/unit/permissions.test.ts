import { describe, expect, it } from 'vitest'
import { canAccess, hasPermission, permissionsOf, rolePermissions } from '~/domain/permissions'

describe('permissions', () => {
  it('denies everything to a person with no roles', () => {
    const nobody = { id: 1, roles: [] }
    expect(permissionsOf(nobody).size).toBe(0)
    expect(hasPermission(nobody, 'read:framework:any')).toBe(false)
    expect(canAccess(nobody, 'read', 'profile', { ownerId: 1 })).toBe(false)
  })

  it('lets a candidate read only their own profile', () => {
    const candidate = { id: 7, roles: ['candidate'] as const }
    expect(canAccess(candidate, 'read', 'profile', { ownerId: 7, mentorId: 3 })).toBe(true)
    expect(canAccess(candidate, 'read', 'profile', { ownerId: 8, mentorId: 3 })).toBe(false)
    expect(hasPermission(candidate, 'create:person:any')).toBe(false)
  })

  it('lets a mentor read their mentees, not strangers', () => {
    const mentor = { id: 3, roles: ['mentor'] as const }
    expect(canAccess(mentor, 'read', 'profile', { ownerId: 8, mentorId: 3 })).toBe(true)
    expect(canAccess(mentor, 'read', 'profile', { ownerId: 9, mentorId: 4 })).toBe(false)
    expect(canAccess(mentor, 'read', 'profile', { ownerId: 9, mentorId: null })).toBe(false)
  })

  it('lets HR read any profile but not administer people', () => {
    const hr = { id: 2, roles: ['hr'] as const }
    expect(canAccess(hr, 'read', 'profile', { ownerId: 99 })).toBe(true)
    expect(hasPermission(hr, 'read:person:any')).toBe(true)
    expect(hasPermission(hr, 'create:person:any')).toBe(false)
    expect(hasPermission(hr, 'update:person:any')).toBe(false)
  })

  it('gives admins people administration and the audit log', () => {
    const admin = { id: 1, roles: ['admin'] as const }
    for (const p of ['create:person:any', 'update:person:any', 'update:profile:any', 'read:audit:any'] as const)
      expect(hasPermission(admin, p)).toBe(true)
  })

  it('unions the permissions of several roles', () => {
    const both = { id: 5, roles: ['candidate', 'mentor'] as const }
    expect(canAccess(both, 'read', 'profile', { ownerId: 5 })).toBe(true)
    expect(canAccess(both, 'read', 'profile', { ownerId: 6, mentorId: 5 })).toBe(true)
    expect(permissionsOf(both)).toEqual(new Set([...rolePermissions.candidate, ...rolePermissions.mentor]))
  })
})

describe('mentee access needs the mentee permission', () => {
  it('does not let a candidate named as someone’s mentor read that person’s profile', () => {
    // A candidate holds read:profile:own only; being recorded as the mentor gives nothing more.
    const candidate = { id: 3, roles: ['candidate'] as const }
    expect(canAccess(candidate, 'read', 'profile', { ownerId: 8, mentorId: 3 })).toBe(false)
  })
})
