import type { HandlersFactory } from '../../api/handler'

/** Is the host there (and what time it thinks it is), and which certificate it serves the LAN with. */
export const systemHandlers: HandlersFactory<'system'> = (deps) => ({
  'system.ping': async (_input, ctx) => ({ pong: true as const, at: ctx.clock.now().toISOString() }),
  'system.standby': async () => ({ addresses: deps.devices?.standby?.addresses() ?? [] }),
  'system.tls': async () => {
    const tls = deps.tls()
    if (!tls) return { enabled: false, fingerprint: null, shortCode: null, caExpiresAt: null, serverExpiresAt: null, serverNames: [] }
    return {
      enabled: true,
      fingerprint: tls.fingerprint.sha256,
      shortCode: tls.fingerprint.shortCode,
      caExpiresAt: tls.caExpiresAt,
      serverExpiresAt: tls.serverExpiresAt,
      serverNames: tls.serverNames,
    }
  },
})
