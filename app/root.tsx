import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorPage } from './components/error-page'
import { navFor, roleLabels } from './domain/navigation'
import appCss from './styles/app.css?url'
import { getOptionalUser } from './utils/auth.server'
import { useNonce } from './utils/nonce'

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: appCss },
]

export const meta: MetaFunction = () => [{ title: 'STO Pathway' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  return {
    user: user ? { id: user.id, name: user.name, roles: user.roles } : null,
    nav: user ? navFor(user.roles) : [],
  }
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  const data = useRouteLoaderData<typeof loader>('root')
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="inner">
            <a className="brand" href="/">
              <img src="/favicon.svg" alt="" width={24} height={24} /> STO Pathway
            </a>
            {data?.user ? (
              <>
                <nav className="nav" aria-label="Main">
                  {data.nav.map((link) => (
                    <NavLink key={link.to} to={link.to} end={link.to === '/'}>
                      {link.label}
                    </NavLink>
                  ))}
                </nav>
                <div className="user-box">
                  <NavLink to="/account">
                    {data.user.name}{' '}
                    <span className="sr-only">({data.user.roles.map((r) => roleLabels[r]).join(', ')})</span>
                  </NavLink>
                  <Form method="post" action="/logout">
                    <button type="submit">Log out</button>
                  </Form>
                </div>
              </>
            ) : null}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer no-print">
          <a href="/privacy">How your data is used</a>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const location = useLocation()
  return <ErrorPage error={error} path={location.pathname} />
}
