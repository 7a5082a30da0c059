/**
 * The one authorization helper of every loader and action. Deny by default: a missing right
 * throws a 403 response that the error boundary shows as a "not allowed" page.
 */
import { data } from '@remix-run/node'
import {
  canAccess,
  hasPermission,
  type Ownership,
  type Permission,
  type PermissionAction,
  type PermissionEntity,
  type Viewer,
} from '~/domain/permissions'

export function forbidden(message = 'You do not have access to this page.') {
  return data({ message }, { status: 403 })
}

export function notFound(message = 'We could not find that page.') {
  return data({ message }, { status: 404 })
}

export function requirePermission(viewer: Viewer, permission: Permission) {
  if (!hasPermission(viewer, permission)) throw forbidden()
}

export function requireAccess(
  viewer: Viewer,
  action: PermissionAction,
  entity: PermissionEntity,
  ownership: Ownership,
) {
  if (!canAccess(viewer, action, entity, ownership)) throw forbidden()
}
