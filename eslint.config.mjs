import tseslint from 'typescript-eslint'

const electronOnly = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }],
}
const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'events', 'stream', 'url', 'util', 'worker_threads']
const nodeModules = [...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `node:${m}`)]
// shared/ is imported as `@shared/…` from every other layer: one spelling, no `../../../../shared`
const sharedByAlias = { group: ['**/shared/*', '**/shared/**', '!@shared/**'], message: 'Import shared/ as @shared/… (see tsconfig paths).' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tmp/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layers (DESIGN §3): electron is for main and preload only.
  {
    files: ['scripts/**', 'tests/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnly, patterns: [sharedByAlias] }] },
  },
  { files: ['electron/main/**', 'electron/preload/**'], rules: { 'no-restricted-imports': ['error', { patterns: [sharedByAlias] }] } },
  // the host service is plain Node and headless: no Electron, no card reader (it belongs to a PC's
  // Electron main), no renderer, nothing of main or preload
  {
    files: ['electron/host/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            sharedByAlias,
            { group: ['**/card-reader', '**/card-reader/**'], message: 'The card reader belongs to Electron main on its PC; the host sees card reads through the API.' },
            { group: ['**/renderer', '**/renderer/**'], message: 'The host never imports the renderer.' },
            { group: ['**/electron/main/**', '**/main', '**/main/*', '**/preload', '**/preload/**'], message: 'The host runs without Electron.' },
          ],
        },
      ],
    },
  },
  // the card reader: node-hid and parsing, no host, no renderer
  {
    files: ['electron/card-reader/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...electronOnly, patterns: [sharedByAlias, { group: ['**/host/**', '**/renderer/**'], message: 'The card reader knows neither the host nor the renderer.' }] },
      ],
    },
  },
  // shared/ runs anywhere: no Node, no DOM-only modules, no host or renderer code.
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly.paths[0], ...nodeModules.map((name) => ({ name, message: 'shared/ must run in the browser and in Node.' }))],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ may not import host or renderer code.' },
            { group: ['react', 'react-dom', 'antd'], message: 'shared/ has no UI.' },
          ],
        },
      ],
    },
  },
  // the renderer reaches data only through the typed API client: no host code in the page.
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly.paths[0], ...nodeModules.map((name) => ({ name, message: 'The renderer is a browser page.' }))],
          patterns: [sharedByAlias, { group: ['**/electron/**'], message: 'The renderer talks to the host only through the API client.' }],
        },
      ],
    },
  },
  // every dialog keeps the product's keyboard (issue #16 item 14): first field focused as it opens,
  // Enter submits, Esc closes the innermost layer. antd's Modal alone keeps none of it
  {
    files: ['renderer/**'],
    ignores: ['renderer/src/app/dialog.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "JSXOpeningElement[name.name='Modal']", message: 'Use Dialog (app/dialog.tsx) or FormDialog (app/form-dialog.tsx): they keep the dialog keyboard.' },
      ],
    },
  },
)
