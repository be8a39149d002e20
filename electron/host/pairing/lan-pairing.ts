import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import type { Clock } from '../clock'
import type { Admission, DeviceRegistry } from './device-registry'
import { servePairing } from './pair-routes'
import { PairingWindow } from './pairing-window'

/** Close code a revoked device's WebSocket gets (4000-4999 are the application's; 4001 is a session's end). */
export const DEVICE_REVOKED_CLOSE = 4003

export interface LanPairingOptions {
  registry: DeviceRegistry
  clock: Clock
  /** the branch CA's SHA-256 (colon hex) */
  caSha256: () => string
  log: (msg: string) => void
}

/**
 * What the LAN server asks of pairing, in three calls: serve `/pair…`, admit (or refuse) a call
 * or an upgrade by its device cookie, and hold each admitted connection so that revoking its
 * device ends it at once.
 */
export class LanPairing {
  readonly window: PairingWindow
  readonly registry: DeviceRegistry
  private readonly trackedSockets = new WeakSet<Socket>()

  constructor(private readonly opts: LanPairingOptions) {
    this.window = new PairingWindow(opts.clock)
    this.registry = opts.registry
  }

  /** Answers `/pair`, `/pair/browser`, `/pair/terminal`; false for any other path. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    return servePairing({ window: this.window, registry: this.registry, caSha256: this.opts.caSha256, log: this.opts.log }, req, res, pathname, req.socket.remoteAddress ?? 'unknown')
  }

  /** The refusal of an API call from an unpaired or revoked device, or null (the call goes on; its connection is held). */
  refuseRequest(req: IncomingMessage): Extract<Admission, { ok: false }> | null {
    const socket = req.socket
    const admission = this.registry.admit(req.headers, socket.remoteAddress ?? 'unknown')
    if (!admission.ok) return admission
    if (!this.trackedSockets.has(socket)) {
      this.trackedSockets.add(socket)
      this.registry.track(admission.deviceId, () => socket.destroy(), (forget) => socket.once('close', forget))
    }
    return null
  }

  /** Admits (or refuses) a WebSocket upgrade; `hold` is then called with the socket once it is open. */
  admitUpgrade(req: IncomingMessage): { ok: false; status: number } | { ok: true; hold: (ws: WebSocket) => void } {
    const admission = this.registry.admit(req.headers, req.socket.remoteAddress ?? 'unknown')
    if (!admission.ok) return { ok: false, status: admission.status }
    return {
      ok: true,
      hold: (ws) =>
        this.registry.track(
          admission.deviceId,
          () => {
            // the close frame tells the terminal why; terminate makes sure not one more frame is read
            ws.close(DEVICE_REVOKED_CLOSE, 'device revoked')
            ws.terminate()
          },
          (forget) => ws.once('close', forget),
        ),
    }
  }
}
