import { readFile } from 'node:fs/promises'
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
