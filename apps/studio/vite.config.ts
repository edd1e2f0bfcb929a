import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the build works from any directory of any static host, and from the
  // `nexus debug` server.
  base: './',
  build: { outDir: 'dist', target: 'es2022', emptyOutDir: true },
  // The proving worker is a module worker (`new Worker(url, { type: 'module' })`).
  worker: { format: 'es' },
  // The VM's and the prover's error classes name themselves from their class (new.target.name),
  // and the page shows those names: minification must keep them.
  esbuild: { keepNames: true },
  // The bundled example guests are imported from the repository's guests/bin.
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
});
