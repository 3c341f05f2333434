import { reactRouter } from '@react-router/dev/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [reactRouter()],
  resolve: {
    // In this repository the example runs on the library's source; an app installs `sealed-session`.
    alias: { 'sealed-session/react-router': fileURLToPath(new URL('../../src/react-router/index.ts', import.meta.url)) },
  },
});
