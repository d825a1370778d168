import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { factoryExpression } from './wasm-threads';

describe('factoryExpression', () => {
  it('finds the factory in the glue file tfjs publishes, as an expression that evaluates to the factory', () => {
    const glue = readFileSync('node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js', 'utf8');
    const expression = factoryExpression(glue);
    expect(expression).not.toBeNull();
    expect(expression!.startsWith('(() => {')).toBe(true);
    // What tfjs hands its thread workers: "var WasmBackendModuleThreadedSimd = " + the text.
    const factory = new Function(`var WasmBackendModuleThreadedSimd = ${expression}; return WasmBackendModuleThreadedSimd;`)();
    expect(typeof factory).toBe('function');
  });

  it('returns null for text that is not the glue file', () => {
    expect(factoryExpression('var x = 1;')).toBeNull();
  });
});
