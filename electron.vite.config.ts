import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

// `@shared/…` is the one spelling of an import of shared/ from any layer (tsconfig paths say the same)
const alias = { '@shared': resolve(__dirname, 'shared') }

// main bundles both Electron main and the plain-Node host service (out/main/host.js),
// which Electron starts as a utilityProcess and `npm run host` runs with node.
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      // pure-JS libraries are bundled: loading kysely's ~280 files alone cost ~130 ms of cold start;
      // native modules (SQLite, node-hid), ws (its optional native helpers break when bundled) and exceljs (large, loaded on import only) stay external
      externalizeDeps: { exclude: ['kysely', 'zod', 'libphonenumber-js', 'pinyin-pro', '@zxcvbn-ts/language-common'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          host: resolve(__dirname, 'electron/host/index.ts'),
          // the host's SQLite connections run in worker threads started from this file, beside host.js
          'sqlite-worker': resolve(__dirname, 'electron/host/db/sqlite-worker.ts'),
          // an import's dry run reads and checks the file's rows in a worker thread started from this file (check-thread.ts)
          'import-check-worker': resolve(__dirname, 'electron/host/domains/imports/import-check-worker.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      chunkSizeWarningLimit: 4000,
      // served to every terminal on the LAN: keep it small
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    plugins: [react()],
  },
})
