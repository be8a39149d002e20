/**
 * Every bound the LAN server puts on outside traffic, in one place. Tests pass smaller numbers
 * through `ServerOptions.limits`; production uses these defaults.
 */
export interface TransportLimits {
  /** bytes of one HTTP body or one WebSocket message. */
  maxBodyBytes: number
  /** nesting levels of arrays and objects in one JSON input. */
  maxJsonDepth: number
  /** TCP connections (HTTP and WebSocket together) open at once from one remote address. */
  maxConnectionsPerAddress: number
  /** calls one WebSocket may have unanswered before the next is refused with BUSY. */
  maxFramesInFlight: number
  /** frames a WebSocket may send before its first successful call (sign-in) before it is closed. */
  maxUnauthenticatedFrames: number
  /** ms a WebSocket that never signed in may stay silent before it is closed. */
  unauthenticatedIdleMs: number
  /** ms between heartbeat sweeps: signed-in sockets are pinged, a socket that missed the last ping is terminated. */
  heartbeatMs: number
  /** bytes queued for one WebSocket that has stopped reading before it is dropped. */
  maxSendBufferBytes: number
  /** calls a second one session (or one socket before sign-in) may make on average over WebSocket... */
  callsPerSecond: number
  /** ...and at once after a quiet spell; past that, calls are answered RATE_LIMITED (reason `calls`). */
  callBurst: number
  /** pushed events kept for terminals that reconnect (catch-up), at most this many... */
  eventBacklog: number
  /** ...and this many bytes of frames; a terminal away longer refetches its views. */
  eventBacklogBytes: number
  /** ms from a connection's start until its request headers must be complete. */
  headersTimeoutMs: number
  /** ms for a whole request, body included. */
  requestTimeoutMs: number
  /** ms an idle keep-alive HTTP connection is kept. */
  keepAliveTimeoutMs: number
  /** ms between Node's checks of the two request timeouts above. */
  timeoutCheckMs: number
  /** request header lines. */
  maxHeadersCount: number
  /** bytes of all request headers together. */
  maxHeaderBytes: number
  /** ms a stopping host waits for calls in flight before it closes the database anyway. */
  drainMs: number
}

export const DEFAULT_LIMITS: TransportLimits = {
  // the largest honest input (an import batch, a long note) is far below 1 MiB
  maxBodyBytes: 1024 * 1024,
  // our deepest contract (a filter inside a list inside an input) nests under 8 levels;
  // 32 leaves room and stays far from where recursive code (zod, audit redaction) could overflow
  maxJsonDepth: 32,
  // a browser opens at most 6 HTTP connections per host plus one WebSocket per tab; the host PC's
  // own browser and a script together stay well under 64, a flood from one address does not
  maxConnectionsPerAddress: 64,
  // the renderer has a handful of calls out at once (a page's grids and a save); 32 unanswered
  // calls means a client that does not wait for answers
  maxFramesInFlight: 32,
  // the sign-in screen sends one frame per attempt and the login limiter locks after a few wrong
  // passwords; 20 covers a person retrying and closes a script that never signs in
  maxUnauthenticatedFrames: 20,
  // a sign-in page left open is reconnected by the client on its next call, so a minute is plenty
  unauthenticatedIdleMs: 60_000,
  // well inside the idle cut of common NAT and proxy boxes (60 s and more); a dead terminal is
  // found within two sweeps
  heartbeatMs: 30_000,
  // a full board push is a few hundred KiB; 16 MiB queued means the reader is gone
  maxSendBufferBytes: 16 * 1024 * 1024,
  // a page opening fires a dozen calls, a grid scrolled fast a few a second, 30 terminals at 5/s
  // are the load we size for: 20/s sustained and 100 at once is far above any person, and a
  // script looping on the host gets RATE_LIMITED instead of the writer
  callsPerSecond: 20,
  callBurst: 100,
  // a few minutes of a busy subscription day's board changes; the whole backlog is a few MiB at most
  eventBacklog: 2000,
  eventBacklogBytes: 4 * 1024 * 1024,
  // slow-header (slowloris) clients are cut after 10 s; a LAN browser sends headers in milliseconds
  headersTimeoutMs: 10_000,
  // 1 MiB over even a poor Wi-Fi link takes a few seconds
  requestTimeoutMs: 30_000,
  // Node's default; browsers reopen cheaply on the LAN
  keepAliveTimeoutMs: 5_000,
  // the two timeouts above are checked this often (Node's default is 30 s, too coarse for 10 s)
  timeoutCheckMs: 1_000,
  // browsers send about 20 header lines
  maxHeadersCount: 64,
  // Node's default: long cookies and tokens fit
  maxHeaderBytes: 16 * 1024,
  // a write transaction takes milliseconds; the scheduler's slices are short; a service manager
  // usually waits 10 s or more before it kills
  drainMs: 5_000,
}
