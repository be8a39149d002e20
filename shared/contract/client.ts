import type { InputOf, MethodName, OutputOf } from './index'
import type { ApiErrorShape, Result } from './common'
import type { EventName, EventPayload } from './events'

/** How a client reaches the host: loopback/LAN WebSocket, HTTP, or in-process in tests. */
export interface Transport {
  request(method: string, input: unknown, token: string | undefined): Promise<Result<unknown>>
  onEvent?(fn: (name: EventName, payload: unknown) => void): () => void
  close?(): void
}

/** A failed call, carrying the typed error for the UI to translate. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiErrorShape) {
    super(`${error.code}: ${error.message}${error.field ? ` (${error.field})` : ''}`)
    this.name = 'ApiCallError'
  }
  get code() {
    return this.error.code
  }
  get field() {
    return this.error.field
  }
}

/** The typed API client: method names and argument/result types come from the contract table. */
export class ApiClient {
  token: string | undefined

  constructor(
    private readonly transport: Transport,
    token?: string,
  ) {
    this.token = token
  }

  /** Calls a method; resolves with its output or rejects with ApiCallError. */
  async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const r = await this.try(method, input)
    if (!r.ok) throw new ApiCallError(r.error)
    return r.value
  }

  /** Calls a method and returns the result as a value. */
  async try<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<OutputOf<M>>> {
    const r = (await this.transport.request(method, input, this.token)) as Result<OutputOf<M>>
    if (r.ok && method === 'auth.login') this.token = (r.value as OutputOf<'auth.login'>).token
    if (r.ok && method === 'auth.logout') this.token = undefined
    return r
  }

  /** Subscribes to a pushed event (on transports that push). */
  on<N extends EventName>(name: N, fn: (payload: EventPayload<N>) => void): () => void {
    if (!this.transport.onEvent) return () => {}
    return this.transport.onEvent((n, p) => {
      if (n === name) fn(p as EventPayload<N>)
    })
  }

  close(): void {
    this.transport.close?.()
  }
}
