import path from 'node:path'
import { ESLint } from 'eslint'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The layers of DESIGN §3 are kept by the type check (one tsconfig per layer: which globals
// exist) and by lint (no-restricted-imports per folder: which files a layer may import).
// Each rule is tried here with a file that breaks it, next to one that keeps it, so a rule
// that stops firing (or fires on everything) turns this red.

const root = path.resolve(__dirname, '../..')

/**
 * Type-checks in-memory files as if they sat in the layer's folder, under that layer's
 * tsconfig; returns the names each file could not find (TS 2304 and its lib/types hints) and
 * throws on any other error.
 */
function missingNames(config: string, files: Record<string, string>): Record<string, string[]> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, config), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    },
  })
  if (!parsed) throw new Error(`cannot read ${config}`)
  const options: ts.CompilerOptions = { ...parsed.options, composite: false, incremental: false, noEmit: true, emitDeclarationOnly: false }
  const inMemory = new Map(Object.entries(files).map(([name, text]) => [path.join(root, name), text]))
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.fileExists = (f) => inMemory.has(f) || ts.sys.fileExists(f)
  host.readFile = (f) => inMemory.get(f) ?? readFile(f)
  host.getSourceFile = (f, lang, ...rest) => {
    const text = inMemory.get(f)
    return text === undefined ? getSourceFile(f, lang, ...rest) : ts.createSourceFile(f, text, lang)
  }
  // the layer's own ambient declarations (shared/runtime.d.ts, the renderer's vite types) come along
  const ambient = parsed.fileNames.filter((f) => f.endsWith('.d.ts'))
  const program = ts.createProgram([...ambient, ...inMemory.keys()], options, host)
  const NOT_FOUND = new Set([2304, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2867, 2868])
  const out: Record<string, string[]> = {}
  for (const file of inMemory.keys()) {
    const rel = path.relative(root, file)
    const source = program.getSourceFile(file)
    if (!source) throw new Error(`${rel} is not in the program`)
    out[rel] = ts
      .getPreEmitDiagnostics(program, source)
      .map((d) => {
        if (!NOT_FOUND.has(d.code)) throw new Error(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
        return d.file!.text.slice(d.start, d.start! + d.length!)
      })
  }
  return out
}

describe('layers by tsconfig: each layer sees only its runtime', () => {
  it('shared/ has the ES library only: no window, document or Buffer; timers it has', () => {
    expect(
      missingNames('tsconfig.shared.json', {
        'shared/probe-dom.ts': 'export const w = window.location\nexport const d = document.title\n',
        'shared/probe-node.ts': 'export const b = Buffer.from("x")\nexport const p = process.env\n',
        'shared/probe-both.ts': 'export const t = globalThis.setTimeout(() => {}, 1)\nexport const m = new Map<string, RegExp>()\n',
      }),
    ).toEqual({
      'shared/probe-dom.ts': ['window', 'document'],
      'shared/probe-node.ts': ['Buffer', 'process'],
      'shared/probe-both.ts': [],
    })
  })

  it('the host, card reader and Electron main have Node and no DOM', () => {
    expect(
      missingNames('tsconfig.node.json', {
        'electron/host/probe-dom.ts': 'export const w = window.location\nexport const d = document.title\n',
        'electron/card-reader/probe-node.ts': 'export const b = Buffer.from("x")\nexport const p = process.env\n',
      }),
    ).toEqual({ 'electron/host/probe-dom.ts': ['window', 'document'], 'electron/card-reader/probe-node.ts': [] })
  })

  it('the renderer has the DOM and no Node', () => {
    expect(
      missingNames('tsconfig.renderer.json', {
        'renderer/src/probe-node.ts': 'export const b = Buffer.from("x")\nexport const p = process.env\n',
        'renderer/src/probe-dom.ts': 'export const w = window.location\nexport const d = document.title\n',
      }),
    ).toEqual({ 'renderer/src/probe-node.ts': ['Buffer', 'process'], 'renderer/src/probe-dom.ts': [] })
  })

  it('tests have both', () => {
    expect(
      missingNames('tsconfig.tests.json', {
        'tests/probe-both.ts': 'export const b = Buffer.from("x")\nexport const d = document.title\n',
      }),
    ).toEqual({ 'tests/probe-both.ts': [] })
  })
})

/** The no-restricted-imports messages lint gives a file at `filePath` importing `from`. */
async function restrictedImports(eslint: ESLint, filePath: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as probe from '${from}'\nexport default probe\n`, { filePath: path.join(root, filePath) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('layers by lint: which layer may import which', () => {
  const eslint = new ESLint({ cwd: root })
  // [file, import, refused?]: each refusal next to an import the same layer may make
  const CASES: Array<[string, string, boolean]> = [
    // the host: plain Node, headless
    ['electron/host/domains/cards/probe.ts', '../../../card-reader/uid', true],
    ['electron/host/domains/cards/probe.ts', '../../../card-reader', true],
    ['electron/host/api/probe.ts', '../../../renderer/src/i18n/zh', true],
    ['electron/host/api/probe.ts', '../../main/index', true],
    ['electron/host/api/probe.ts', '../../preload/channels', true],
    ['electron/host/probe.ts', '../main', true],
    ['electron/host/probe.ts', '../preload', true],
    ['electron/host/probe.ts', '../../renderer', true],
    ['electron/host/api/probe.ts', 'electron', true],
    ['electron/host/api/probe.ts', '../../../shared/domain/roles', true],
    ['electron/host/api/probe.ts', '@shared/domain/roles', false],
    ['electron/host/api/probe.ts', 'node:fs', false],
    ['electron/host/api/probe.ts', '../db/open', false],
    // the card reader: no host, no renderer
    ['electron/card-reader/probe.ts', '../host/host', true],
    ['electron/card-reader/probe.ts', '../../renderer/src/i18n/zh', true],
    ['electron/card-reader/probe.ts', 'electron', true],
    ['electron/card-reader/probe.ts', '@shared/domain/card-uid', false],
    // the renderer: a browser page that reaches the host through the API client only
    ['renderer/src/features/board/probe.ts', '../../../../electron/host/host', true],
    ['renderer/src/features/board/probe.ts', '../../../../electron/card-reader/uid', true],
    ['renderer/src/features/board/probe.ts', 'electron', true],
    ['renderer/src/features/board/probe.ts', 'node:fs', true],
    ['renderer/src/features/board/probe.ts', 'fs', true],
    ['renderer/src/features/board/probe.ts', '../../../../shared/contract', true],
    ['renderer/src/features/board/probe.ts', '@shared/contract', false],
    ['renderer/src/features/board/probe.ts', '../../api/client', false],
    // shared/: runs anywhere, imports nothing of the layers
    ['shared/domain/probe.ts', '../../electron/host/host', true],
    ['shared/domain/probe.ts', '../../electron/card-reader/uid', true],
    ['shared/domain/probe.ts', '../../renderer/src/i18n/zh', true],
    ['shared/domain/probe.ts', 'node:crypto', true],
    ['shared/domain/probe.ts', 'crypto', true],
    ['shared/domain/probe.ts', 'electron', true],
    ['shared/domain/probe.ts', 'react', true],
    ['shared/domain/probe.ts', './roles', false],
    ['shared/domain/probe.ts', 'zod', false],
    // main and preload: Electron's own, shared by alias
    ['electron/main/probe.ts', 'electron', false],
    ['electron/main/probe.ts', '../../shared/domain/roles', true],
    // tests and scripts: no Electron, shared by alias
    ['tests/unit/probe.test.ts', 'electron', true],
    ['tests/unit/probe.test.ts', '../../shared/domain/roles', true],
    ['tests/unit/probe.test.ts', '../../electron/host/host', false],
  ]

  it.each(CASES)('%s importing %s: refused %s', async (file, from, refused) => {
    const messages = await restrictedImports(eslint, file, from)
    if (refused) expect(messages).toHaveLength(1)
    else expect(messages).toEqual([])
  })
})
