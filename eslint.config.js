// Lint: typescript-eslint's recommended rules, and the house's floors (shared/DESIGN.md) kept by tools:
// core imports nothing above it, the page imports no tfjs, and no module imports itself round a cycle.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Folders the core may never import (its tests may use the Node adapters). */
const ABOVE_CORE = ['./src/app', './src/worker', './src/cli', './src/node'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'public/', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/app/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tests and benchmarks may take liberties with types that shipped code may not.
    files: ['**/*.test.ts', 'e2e/**', 'bench/**', 'src/node/test-support.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The layers: arrows point down (app -> worker -> core; cli and node -> core).
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/core', from: ABOVE_CORE, except: [], message: 'core has no DOM, app, worker, cli or Node code: pass what it needs in' },
            { target: './src/node', from: ['./src/app', './src/worker', './src/cli'], message: 'Node adapters sit below the CLI and know nothing of the page' },
            { target: './src/worker', from: ['./src/app', './src/cli', './src/node'], message: 'the worker sits below the page' },
            { target: './src/app', from: ['./src/cli', './src/node'], message: 'the page cannot use Node adapters or the CLI' },
            { target: './src/cli', from: ['./src/app', './src/worker'], message: 'the CLI runs the core headless, without the page or the worker' },
          ],
        },
      ],
    },
  },
  {
    // The core runs in a page, a worker and Node alike: no Node globals (tsconfig.core.json has no DOM library; a
    // type package it uses drags Node's types in, so they are refused here by name).
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'window', 'document', 'localStorage', 'navigator'].map((name) => ({
          name,
          message: 'core code runs in pages, workers and Node alike: take what you need as an argument',
        })),
      ],
    },
  },
  {
    // Tests run in Node: any test (and a test-support module) may use the Node adapters, but the core's still
    // cannot reach the page, the worker or the CLI.
    files: ['src/**/*.test.ts', 'src/**/test-support.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [{ target: './src/core', from: ['./src/app', './src/worker', './src/cli'] }] }],
    },
  },
  {
    // The page never loads tfjs itself: training runs in the worker.
    files: ['src/app/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tensorflow/*'], message: 'the page has no tfjs: the worker trains', allowTypeImports: true }] },
      ],
    },
  },
);
