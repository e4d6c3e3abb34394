import { defineConfig } from 'vite';

// The renderer is a plain React SPA; it reaches the main side only through window.pixdesk.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome120',
  },
  oxc: {
    jsx: { runtime: 'automatic' },
  },
});
