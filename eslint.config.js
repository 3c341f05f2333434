import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'coverage', 'docs/api', 'node_modules', 'test-results', '.demo', 'examples/nextjs/.next', 'examples/nextjs/next-env.d.ts', 'examples/react-router/build', 'examples/react-router/.react-router'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly',
        Request: 'readonly', Response: 'readonly', Headers: 'readonly', crypto: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly',
        performance: 'readonly', Buffer: 'readonly', btoa: 'readonly', atob: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', structuredClone: 'readonly',
        queueMicrotask: 'readonly', document: 'readonly', window: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
