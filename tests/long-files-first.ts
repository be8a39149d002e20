import path from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { LONG_E2E_FILES } from './isolated-files'

const ROOT = path.resolve(__dirname, '..')

/**
 * Vitest's order (projects and groups as it runs them; within a project, the longest of the last
 * run first, or on a clean clone with no last run, the largest file first), with the files of
 * LONG_E2E_FILES moved to the front of their project. A clean clone (CI) has no last run, and by
 * size the file of the 100,000-client book started last and was the run's tail.
 */
export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (f: TestSpecification) => {
      const i = LONG_E2E_FILES.indexOf(path.relative(ROOT, f.moduleId).split(path.sep).join('/'))
      return i < 0 ? LONG_E2E_FILES.length : i
    }
    const group = (f: TestSpecification) => `${f.project.config.sequence.groupOrder} ${f.project.name}`
    // each run of one project's files (as the base order keeps them together), stable-sorted by rank
    const out: TestSpecification[] = []
    for (let start = 0; start < sorted.length; ) {
      let end = start + 1
      while (end < sorted.length && group(sorted[end]!) === group(sorted[start]!)) end++
      out.push(...sorted.slice(start, end).map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f))
      start = end
    }
    return out
  }
}
