import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // No SPA fallback: an unknown path (/media/… images served by Go) must 404
  // in `wails dev` so the Wails asset server hands it to the Go handler.
  appType: 'mpa',
  // licenses.json: the licence notices of the npm packages in the bundle,
  // shown in Settings → About with the Go modules' (app/notices_go.json).
  build: { target: 'es2022', chunkSizeWarningLimit: 800, license: { fileName: 'licenses.json' } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
