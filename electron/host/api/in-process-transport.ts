import type { Transport } from '@shared/contract/client'
import type { EventName } from '@shared/contract/events'
import type { Dispatcher } from './dispatcher'
import type { HostEvents } from './events'

/** Calls the dispatcher directly: for tests and benchmarks, same checks as the network. */
export function inProcessTransport(dispatcher: Dispatcher, events?: HostEvents, address = 'in-process'): Transport {
  return {
    request: (method, input, token) => dispatcher.dispatch(method, input, { token, address }),
    onEvent: (fn: (name: EventName, payload: unknown) => void) =>
      events ? events.onEvent((e) => fn(e.name, e.payload)) : () => {},
  }
}
