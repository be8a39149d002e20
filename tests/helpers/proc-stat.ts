import fs from 'node:fs'

// Reading Linux's /proc/<pid>/stat, for the tests and benches that watch processes (which ones are
// left, whose parent went, how much CPU a host used). The name (field 2) may hold spaces and
// parentheses, so the fields are counted from its last ')'.

/** The fields after the process name: [0] the state (field 3), [1] the parent pid, [11]/[12] utime/stime, [19] the start time. */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** A process's state, parent and start time (a reused pid starts later), or null when there is none. */
export function procStat(pid: number): { state: string; ppid: number; started: string } | null {
  try {
    const f = statFields(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
    return { state: f[0]!, ppid: Number(f[1]), started: f[19]! }
  } catch {
    return null
  }
}

/** Gone: no such process, or a zombie nobody reaped yet (it runs nothing and holds no port). */
export function processGone(pid: number): boolean {
  const s = procStat(pid)
  return s === null || s.state === 'Z'
}
