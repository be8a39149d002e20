import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ReaderProfileList, type ReaderProfile } from './reader-profile'

/** Parses the content of a profiles file, naming the file and the field at fault when it is wrong. */
export function parseReaderProfiles(json: string, source: string): ReaderProfile[] {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch (e) {
    throw new Error(`${source}: not JSON (${(e as Error).message})`)
  }
  const parsed = ReaderProfileList.safeParse(data)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`${source}: ${issues.join('; ')}`)
  }
  return parsed.data
}

/** Reads reader profiles from files in priority order (e.g. learned profiles, then the bundled ones); a missing file counts as empty. */
export async function loadReaderProfiles(files: readonly string[]): Promise<ReaderProfile[]> {
  const all: ReaderProfile[] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw e
    }
    for (const p of parseReaderProfiles(text, file)) if (!all.some((q) => q.id === p.id)) all.push(p)
  }
  return all
}

/**
 * Adds a learned profile to the learned-profiles file (replacing one with the same id), written
 * to a temporary file and renamed so a crash never leaves half a file; returns the new list.
 */
export async function saveLearnedProfile(file: string, profile: ReaderProfile): Promise<ReaderProfile[]> {
  const existing = await loadReaderProfiles([file])
  const list = [profile, ...existing.filter((p) => p.id !== profile.id)]
  // parse again: what is written must load back
  const text = JSON.stringify(ReaderProfileList.parse(list), null, 2) + '\n'
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, text, 'utf8')
  await rename(tmp, file)
  return list
}
