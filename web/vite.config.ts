import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by `omnia serve` at /console (src/platform/http/console.ts); the manifest lets
// scripts/build-web.mjs check the first-load JavaScript budget.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/openapi.json': 'http://127.0.0.1:3000' } },
});
