import path from 'node:path'
import { z } from 'zod'

export const HELP = `Keyuan host: the branch database and API, headless.

Usage: npm run host -- [options]

  --data <dir>    data folder (database keyuan.db, audit anchor, lock); default ./.data
  --key-file <path>  the database key file (default: keyuan.key in the data folder; better in
                  a folder only the service account reads, see README "Where data and keys live")
  --port <n>      port to listen on (default 8640; 0 picks a free one)
  --bind <addr>   address to bind (default 127.0.0.1); any other address (0.0.0.0 for the
                  office LAN) is served over HTTPS only, with the branch certificate kept in
                  <data>/tls (made on first start); plain HTTP on the port is redirected
  --tls           serve HTTPS on loopback too
  --demo          add demo staff and 300 demo clients on first start
  --demo-clients <n>  with --demo: how many demo clients (e.g. 100000 for a full-size branch)
  --recover <file>  before starting, open the branch with its recovery key (asked on stdin,
                  never on the command line): <file> is a backup (with its .recovery.json beside
                  it), copied into an empty --data folder, or the data folder's keyuan.db whose
                  key file is lost; the key file is written again, then the host starts
  --check         check the data folder and exit (also beside a running host): database size,
                  schema version, integrity (quick_check), audit chain, last backup and its age;
                  exit 0 when all is well, 1 when something needs attention; a key change
                  left unfinished (keyuan.key.next) is reported, not settled (the next start does)
  --follow <address>  run this PC as a standby of the host at <address> (README "Standby host"):
                  the first time, pair (the code is asked on stdin), wait for the admin to mark
                  this PC a standby, fetch a copy and open it with the recovery key (asked on
                  stdin); the host signs this PC's own certificate with the branch CA; then
                  pull the host's changes every 2 s until stopped
  --promote       make this standby's data folder the host's (the old host is dead): check the
                  copy (quick_check, audit chain), stop following, then start as the host with
                  the certificate the branch CA signed for it (give --bind 0.0.0.0 and the old
                  host's --port: terminals keep their pin and look for it on that port)
  --help          show this help

Environment:
  KEYUAN_DB_KEY          64 hex characters: the database key instead of the key file
  KEYUAN_KEY_FILE        the key file's path, as --key-file (the flag wins)
  KEYUAN_ADMIN_PASSWORD  the first admin's password on first start (else a random one is printed)
  KEYUAN_RENDERER_DIR    the built renderer to serve (default: out/renderer beside the host)

Stopping: SIGTERM or Ctrl-C stops taking calls, lets those in flight finish, closes the
database and exits 0; a second signal exits at once.
To run it as a service (systemd on Linux, NSSM on Windows) see the README section
"Running the host as a service".
`

const Args = z.object({
  data: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  bind: z.string().min(1),
  demo: z.boolean(),
  demoClients: z.coerce.number().int().min(0).max(1_000_000),
  help: z.boolean(),
  check: z.boolean(),
  tls: z.boolean(),
  keyFile: z.string().min(1).optional(),
  recover: z.string().min(1).optional(),
  follow: z.string().min(1).optional(),
  promote: z.boolean(),
})
export type HostArgs = z.infer<typeof Args>

/** Parses the host's command line; throws a one-line message naming the bad flag. */
export function parseHostArgs(argv: readonly string[], cwd: string): HostArgs {
  const raw: Record<string, string | boolean> = { data: '.data', port: '8640', bind: '127.0.0.1', demo: false, demoClients: '300', help: false, check: false, tls: false, promote: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const [flag, inline] = a.startsWith('--') ? (a.slice(2).split(/=(.*)/s, 2) as [string, string?]) : [a, undefined]
    if (flag === 'demo' || flag === 'help' || flag === 'tls' || flag === 'check' || flag === 'promote') raw[flag] = true
    else if (flag === 'data' || flag === 'port' || flag === 'bind' || flag === 'demo-clients' || flag === 'key-file' || flag === 'recover' || flag === 'follow') {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new Error(`--${flag} needs a value`)
      raw[flag === 'demo-clients' ? 'demoClients' : flag === 'key-file' ? 'keyFile' : flag] = v
    } else if (flag === 'h') raw.help = true
    else throw new Error(`unknown option: ${a} (see --help)`)
  }
  const parsed = Args.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`--${String(issue?.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message}`)
  }
  if (parsed.data.follow !== undefined && parsed.data.promote) throw new Error('--follow and --promote exclude each other: stop following first, then promote')
  const { keyFile, recover, ...rest } = parsed.data
  return {
    ...rest,
    data: path.resolve(cwd, rest.data),
    ...(keyFile !== undefined ? { keyFile: path.resolve(cwd, keyFile) } : {}),
    ...(recover !== undefined ? { recover: path.resolve(cwd, recover) } : {}),
  }
}
