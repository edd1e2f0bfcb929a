import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the build works from any directory of any static host, and from the
  // `nexus debug` server.
  base: './',
  build: { outDir: 'dist', target: 'es2022', emptyOutDir: true },
  // The proving worker is a module worker (`new Worker(url, { type: 'module' })`).
  worker: { format: 'es' },
  // The bundled example guests are imported from the repository's guests/bin.
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
});
