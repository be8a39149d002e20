import { DEMO_PASSWORD } from './pages'

/** Calls the host's HTTP API at `url` as a client of the API would; a failure throws naming the method and code. */
export async function hostCall<T>(url: string, token: string | null, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  })
  const body = (await res.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } }
  if (!body.ok) throw new Error(`${method}: ${body.error.code} ${body.error.message}`)
  return body.value
}

/** Signs a demo account in over the API and returns its token. */
export async function hostLogin(url: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  return (await hostCall<{ token: string }>(url, null, 'auth.login', { username, password })).token
}
