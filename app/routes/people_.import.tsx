import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError } from '~/components/forms'
import { checkImport, IMPORT_COLUMNS } from '~/domain/people-import'
import { hasPermission } from '~/domain/permissions'
import { RuleError } from '~/domain/errors'
import { applyImport, importContext } from '~/models/import.server'
import { redirectWithNotice, takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { MAX_CSV_BYTES, readCsv } from '~/utils/csv.server'
import { getDb, transaction } from '~/utils/db.server'
import { requirePermission } from '~/utils/permissions.server'
import { today } from '~/utils/program.server'
import {
  MalformedUploadError,
  readReceivedText,
  receiveUpload,
  UploadLimitError,
  type ReceivedUpload,
  type UploadLimit,
} from '~/utils/uploads.server'

export const meta: MetaFunction = () => [{ title: 'Import people · STO Pathway' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'import:people:any')
  return { notice: await takeNotice(request) }
}

const tooLarge = `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB. Split it into smaller files.`
/** What a 413 says, by the limit the upload passed (each is checked while the body streams). */
const importLimitMessages: Record<UploadLimit, string> = {
  'file-too-large': tooLarge,
  'files-too-large': tooLarge,
  'field-too-large': tooLarge,
  'too-many-files': 'Choose one CSV file.',
  'too-many-fields': 'The form has more fields than this page sends.',
}

type Preview = { line: number; name: string; email: string; roles: string; action: string }

function check(text: string, canManageRoles: boolean) {
  const csv = readCsv(text)
  if (!csv.ok) return { errors: [{ line: 1, message: csv.message }], rows: [] }
  const fw = getFramework()
  const ctx = importContext(getDb())
  const finalStage = fw.stages[fw.stages.length - 1]!.id
  return checkImport(csv.records, {
    backgrounds: fw.backgrounds.map((b) => b.id),
    stages: fw.stages.filter((s) => s.id !== finalStage).map((s) => s.id),
    finalStage,
    today: today(),
    canManageRoles,
    ...ctx,
  })
}

/**
 * Two steps: upload shows a preview (or every bad row with its line number, importing nothing);
 * confirming re-checks the same text and writes every row in one transaction, or none.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'import:people:any')
  let upload: ReceivedUpload
  try {
    // One CSV file of 2 MB; the confirmation sends the checked text back as the `csv` field.
    upload = await receiveUpload(request, {
      maxFiles: 1,
      maxFileBytes: MAX_CSV_BYTES,
      maxFieldBytes: { csv: MAX_CSV_BYTES },
    })
  } catch (error) {
    if (error instanceof UploadLimitError)
      return data(
        {
          stage: 'error' as const,
          message: `${importLimitMessages[error.limit]} Nothing was imported.`,
          errors: [],
          preview: [],
          csv: '',
          fileName: '',
        },
        { status: 413 },
      )
    // Not a multipart form, or a malformed one: the client's mistake, not a server error.
    if (error instanceof MalformedUploadError)
      return data(
        {
          stage: 'error' as const,
          message: 'The upload could not be read. Send the form from this page. Nothing was imported.',
          errors: [],
          preview: [],
          csv: '',
          fileName: '',
        },
        { status: 400 },
      )
    throw error
  }
  const form = upload.fields
  const intent = form.get('intent')
  let text: string
  let fileName: string
  try {
    if (intent === 'preview') {
      const file = upload.files.find((f) => f.field === 'file')
      if (!file)
        return data(
          {
            stage: 'error' as const,
            message: 'Choose a CSV file to import.',
            errors: [],
            preview: [],
            csv: '',
            fileName: '',
          },
          { status: 400 },
        )
      text = readReceivedText(file)
      fileName = file.fileName.slice(0, 120)
    } else if (intent === 'import') {
      text = String(form.get('csv') ?? '')
      fileName = String(form.get('fileName') ?? 'import.csv').slice(0, 120)
      if (text.length > MAX_CSV_BYTES)
        return data(
          {
            stage: 'error' as const,
            message: 'The file is too large.',
            errors: [],
            preview: [],
            csv: '',
            fileName: '',
          },
          { status: 413 },
        )
    } else {
      return data(
        { stage: 'error' as const, message: 'Unknown action.', errors: [], preview: [], csv: '', fileName: '' },
        { status: 400 },
      )
    }
  } finally {
    // The file is read; nothing of it is kept on disk.
    upload.discard()
  }
  const result = check(text, hasPermission(user, 'update:person:any'))
  if (result.errors.length > 0) {
    return data(
      {
        stage: 'error' as const,
        message: `${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} found. Nothing was imported; correct the file and upload it again.`,
        errors: result.errors.slice(0, 200),
        preview: [],
        csv: '',
        fileName,
      },
      { status: 400 },
    )
  }
  if (intent === 'preview') {
    const preview: Preview[] = result.rows.map((r) => ({
      line: r.line,
      name: r.name,
      email: r.email,
      roles: r.roles.join(', '),
      action: r.action,
    }))
    return { stage: 'preview' as const, message: null, errors: [], preview, csv: text, fileName }
  }
  let counts: ReturnType<typeof applyImport>
  try {
    counts = transaction((tx) => applyImport(tx, user.id, result.rows, getFramework(), fileName))
  } catch (error) {
    if (error instanceof RuleError)
      return data(
        {
          stage: 'error' as const,
          message: `${error.message} Nothing was imported.`,
          errors: [],
          preview: [],
          csv: '',
          fileName,
        },
        { status: 400 },
      )
    throw error
  }
  throw await redirectWithNotice(
    request,
    '/people/import',
    `Imported: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.enrolled} enrolled${counts.proposed ? `, ${counts.proposed} proposed at a later stage (waiting for a second HR person on each program page)` : ''}.`,
  )
}

export default function ImportPage() {
  const actionData = useActionData<typeof action>()
  const { notice } = useLoaderData<typeof loader>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/pipeline">Pipeline</Link> › Import people
      </nav>
      <h1>Import people from CSV</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <section className="card">
        <p>
          One person per row, with this header: <code>{IMPORT_COLUMNS.join(',')}</code>. Roles are separated by “;”
          (e.g. <code>candidate</code> or <code>mentor;hr</code>). Candidates need a background and stage id (as in the
          framework), an enrollment date (YYYY-MM-DD) and, to be enrolled in the program, a mentor’s email. People are
          matched by email: importing the same file again changes nothing. Imported people have no password until an
          administrator sets one. At most 2 MB.
        </p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <div className="field">
            <label htmlFor="import-file">CSV file</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
          </div>
          <div>
            <button className="primary" type="submit" name="intent" value="preview">
              Check the file
            </button>
          </div>
        </Form>
      </section>
      {actionData?.stage === 'error' ? (
        <section className="card" aria-labelledby="problems">
          <h2 id="problems">Not imported</h2>
          <FormError errors={[actionData.message ?? 'Not imported.']} />
          {actionData.errors.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {actionData.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.line}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
      {actionData?.stage === 'preview' ? (
        <section className="card" aria-labelledby="preview">
          <h2 id="preview">Preview of {actionData.fileName}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Will be</th>
              </tr>
            </thead>
            <tbody>
              {actionData.preview.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.name}</td>
                  <td>{r.email}</td>
                  <td>{r.roles}</td>
                  <td>{r.action === 'create' ? 'created' : r.action === 'update' ? 'updated' : 'unchanged'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form method="post" encType="multipart/form-data" style={{ marginTop: '1rem' }}>
            <input type="hidden" name="csv" value={actionData.csv} />
            <input type="hidden" name="fileName" value={actionData.fileName} />
            <button className="primary" type="submit" name="intent" value="import">
              Import {actionData.preview.length} row{actionData.preview.length === 1 ? '' : 's'}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  )
}
