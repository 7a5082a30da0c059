/**
 * Who may do what, as typed permission strings "<action>:<entity>:<access>".
 * Deny by default: a permission not listed for any of a person's roles is refused.
 * `own` applies to the viewer's own records, `mentee` to their mentees', `any` to all.
 */
import type { Role } from '~/domain/roles'

export const permissions = [
  'read:framework:any',
  'read:profile:own',
  'read:profile:mentee',
  'read:profile:any',
  'read:person:any',
  'create:person:any',
  'update:person:any',
  'update:profile:any',
  'update:password:own',
  'read:audit:any',
  'create:cycle:mentee',
  'create:cycle:any',
  'read:cycle:own',
  'read:cycle:mentee',
  'read:cycle:any',
  'update:cycle:mentee',
  'update:cycle:any',
  'update:self-assessment:own',
  'create:nomination:own',
  'read:report:own',
  'read:report:mentee',
  'read:report:any',
  'create:plan-item:own',
  'read:outbox:any',
  'read:program:own',
  'read:program:mentee',
  'read:program:any',
  'update:program:any',
  'create:evidence:own',
  'update:milestone:mentee',
  'update:milestone:any',
  'create:recommendation:mentee',
  'update:advancement:any',
  'update:plan:own',
  'create:plan-comment:mentee',
  'create:plan-comment:any',
  'read:pipeline:any',
  'import:people:any',
  'export:person:any',
  'erase:person:any',
] as const

export type Permission = (typeof permissions)[number]
type Split<P> = P extends `${infer A}:${infer E}:${infer S}` ? { action: A; entity: E; access: S } : never
export type PermissionAction = Split<Permission>['action']
export type PermissionEntity = Split<Permission>['entity']
export type Access = 'own' | 'mentee' | 'any'

export const rolePermissions: Record<Role, readonly Permission[]> = {
  candidate: [
    'read:framework:any',
    'read:profile:own',
    'update:password:own',
    'read:cycle:own',
    'update:self-assessment:own',
    'create:nomination:own',
    'read:report:own',
    'create:plan-item:own',
    'read:program:own',
    'create:evidence:own',
    'update:plan:own',
  ],
  mentor: [
    'read:framework:any',
    'read:profile:mentee',
    'update:password:own',
    'create:cycle:mentee',
    'read:cycle:mentee',
    'update:cycle:mentee',
    'read:report:mentee',
    'read:program:mentee',
    'update:milestone:mentee',
    'create:recommendation:mentee',
    'create:plan-comment:mentee',
  ],
  hr: [
    'read:framework:any',
    'read:profile:any',
    'read:person:any',
    'update:password:own',
    'create:cycle:any',
    'read:cycle:any',
    'update:cycle:any',
    'read:report:any',
    'read:outbox:any',
    'read:program:any',
    'update:program:any',
    'update:milestone:any',
    'update:advancement:any',
    'create:plan-comment:any',
    'read:pipeline:any',
    'import:people:any',
    'export:person:any',
  ],
  admin: [
    'read:framework:any',
    'read:profile:any',
    'read:person:any',
    'create:person:any',
    'update:person:any',
    'update:profile:any',
    'update:password:own',
    'read:audit:any',
    'read:outbox:any',
    'read:pipeline:any',
    'import:people:any',
    'export:person:any',
    'erase:person:any',
  ],
}

export type Viewer = { id: number; roles: readonly Role[] }

export function permissionsOf(viewer: Viewer): Set<Permission> {
  return new Set(viewer.roles.flatMap((r) => rolePermissions[r] ?? []))
}

export function hasPermission(viewer: Viewer, permission: Permission): boolean {
  return permissionsOf(viewer).has(permission)
}

/** Who a record belongs to, for own/mentee checks. */
export type Ownership = { ownerId: number; mentorId?: number | null }

/**
 * May `viewer` do `action` on `entity` owned as described? `any` wins; `own` needs the viewer
 * to be the owner; `mentee` needs the viewer to be the owner's mentor.
 */
export function canAccess(
  viewer: Viewer,
  action: PermissionAction,
  entity: PermissionEntity,
  ownership: Ownership,
): boolean {
  const granted = permissionsOf(viewer)
  const has = (access: Access) => granted.has(`${action}:${entity}:${access}` as Permission)
  if (has('any')) return true
  if (has('own') && ownership.ownerId === viewer.id) return true
  if (has('mentee') && ownership.mentorId != null && ownership.mentorId === viewer.id) return true
  return false
}
