import tseslint from 'typescript-eslint'

const electronOnly = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }],
}
const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'events', 'stream', 'url', 'util', 'worker_threads']
const nodeModules = [...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `node:${m}`)]

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
    files: ['electron/host/**', 'electron/card-reader/**', 'renderer/**', 'shared/**', 'scripts/**'],
    rules: { 'no-restricted-imports': ['error', electronOnly] },
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
          patterns: [{ group: ['**/electron/**'], message: 'The renderer talks to the host only through the API client.' }],
        },
      ],
    },
  },
)
