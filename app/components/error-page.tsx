import { isRouteErrorResponse } from '@remix-run/react'

/** The 400/403/404/500/503 pages: say what happened and where to go next. */
export function ErrorPage({ error, path }: { error: unknown; path: string }) {
  if (isRouteErrorResponse(error)) {
    const message =
      typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : null
    if (error.status === 403) {
      return (
        <section className="error-page">
          <h1>Not allowed</h1>
          <p>{message ?? 'You do not have access to this page.'}</p>
          <p>
            If you think you should, ask your HR contact or an administrator. <a href="/">Go to your home page</a>.
          </p>
        </section>
      )
    }
    if (error.status === 404) {
      return (
        <section className="error-page">
          <h1>Page not found</h1>
          <p>{message ?? `There is nothing at ${path}.`}</p>
          <p>
            <a href="/">Go to your home page</a>.
          </p>
        </section>
      )
    }
    if (error.status === 400) {
      return (
        <section className="error-page">
          <h1>That request was not valid</h1>
          <p>{message ?? 'Check the link or form and try again.'}</p>
          <p>
            <a href="/">Go to your home page</a>.
          </p>
        </section>
      )
    }
    if (error.status === 503) {
      return (
        <section className="error-page">
          <h1>Busy right now</h1>
          <p>{message ?? 'The service is busy; nothing was saved.'}</p>
          <p>Go back and send the form again in a few seconds; what you entered is still in the previous page.</p>
        </section>
      )
    }
    return (
      <section className="error-page">
        <h1>
          {error.status} {error.statusText}
        </h1>
        <p>{message ?? 'Something went wrong.'}</p>
      </section>
    )
  }
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>The problem has been logged. Try again in a moment; if it persists, tell an administrator.</p>
      <p>
        <a href="/">Go to your home page</a>.
      </p>
    </section>
  )
}
