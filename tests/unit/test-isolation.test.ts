import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { E2E_ALONE_FILES, LONG_E2E_FILES, MOCKING_FILES } from '../isolated-files'

const ROOT = path.resolve(__dirname, '../..')

/** The unit and integration test files, relative to the repository root. */
function testFiles(): string[] {
  return ['tests/unit', 'tests/integration'].flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.posix.join(dir, f.split(path.sep).join('/'))),
  )
}

describe('files that share a module cache', () => {
  it('every file that replaces a module with vi.mock runs isolated', () => {
    const mocking = testFiles().filter((f) => /\bvi\.(mock|doMock)\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))
    expect(mocking.length).toBeGreaterThan(0)
    expect(mocking.sort()).toEqual([...MOCKING_FILES].sort())
  })

  it('the end-to-end files that run alone exist (a renamed one would silently run beside another)', () => {
    expect(E2E_ALONE_FILES.length).toBeGreaterThan(0)
    for (const f of E2E_ALONE_FILES) expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true)
  })

  it('the end-to-end files that start first exist and run beside others (a renamed one would silently start last)', () => {
    expect(LONG_E2E_FILES.length).toBeGreaterThan(0)
    for (const f of LONG_E2E_FILES) expect([fs.existsSync(path.join(ROOT, f)), E2E_ALONE_FILES.includes(f)], f).toEqual([true, false])
  })
})
