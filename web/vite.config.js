// The dashboard's build (`npm run build:web`): web/ → web/dist/, served by the gateway at `/`
// (src/graphql/dashboard.ts). Preact's JSX through Vite's own transform; everything bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/graphql': 'http://localhost:4000' } },
});
