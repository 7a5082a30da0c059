import type { LoaderFunctionArgs } from '@remix-run/node'
import { canAccess } from '~/domain/permissions'
import { getEvidenceFile, getMilestone } from '~/models/milestones.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { parseId } from '~/utils/forms.server'
import { forbidden, notFound } from '~/utils/permissions.server'
import { readStoredFile, storedFileName } from '~/utils/uploads.server'

/** An evidence file, only for people who may see its milestone; always a download, never rendered inline. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = parseId(params.fileId)
  const found = id === null ? null : getEvidenceFile(getDb(), id)
  if (!found) throw notFound('There is no file with that id.')
  const milestone = getMilestone(getDb(), found.milestoneId)
  if (
    !milestone ||
    !canAccess(user, 'read', 'program', { ownerId: milestone.milestone.candidateId, mentorId: milestone.mentorId })
  )
    throw forbidden()
  const bytes = readStoredFile(found.file.sha256)
  if (!bytes) throw notFound('The file is missing from storage.')
  // Offered under the extension of its type, also for rows stored before names got it.
  const fileName = storedFileName(found.file.fileName, found.file.contentType)
  const asciiName = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': found.file.contentType,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
