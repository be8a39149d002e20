import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** How to start a worker thread: a script file, or code to evaluate. */
export interface ThreadScript {
  script: string
  eval: boolean
}

/**
 * How to start one of the host's worker threads (`name`: the entry's base name, such as
 * `sqlite-worker`): built, the script beside the bundled host (out/main/<name>.js, `builtDir`); from
 * the sources, the bundle the environment variable `envVar` names (the test run makes one,
 * tests/worker-bundle.ts), else a line that registers tsx (both loaders) in the new thread and loads the TypeScript
 * file from `sourceDir` (a worker does not inherit the parent's loader; compiling it costs each
 * thread most of a second).
 */
export function threadScript(name: string, dirs: { builtDir: string; sourceDir: string }, envVar: string, env: NodeJS.ProcessEnv = process.env): ThreadScript {
  const built = path.join(dirs.builtDir, `${name}.js`)
  if (fs.existsSync(built)) return { script: built, eval: false }
  const bundled = env[envVar]
  if (bundled && fs.existsSync(bundled)) return { script: bundled, eval: false }
  const resolve = createRequire(__filename).resolve
  const source = path.join(dirs.sourceDir, `${name}.ts`)
  // both of tsx's loaders: the CommonJS one for the entry's requires, the ESM one for its dynamic
  // `import()`s (sqlite-worker.ts loads the domains' procedures so), which Node's own resolver
  // would refuse (a TypeScript path without its extension: every thread procedure failed INTERNAL)
  const register = ['tsx/esm/api', 'tsx/cjs/api'].map((api) => `require(${JSON.stringify(resolve(api))}).register();`).join(' ')
  return { script: `${register} require(${JSON.stringify(source)})`, eval: true }
}
