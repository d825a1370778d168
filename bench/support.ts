/**
 * What the benchmarks share: the machine's description, an earlier commit checked out beside this one for
 * before/after runs, production builds and their sizes, medians, and child processes that answer JSON lines.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Order of the measurers in round r: rotated, so none is always first (or always right after another). */
export function rotate<T>(items: T[], round: number): T[] {
  const k = round % Math.max(1, items.length);
  return [...items.slice(k), ...items.slice(0, k)];
}

export function machineLines(): string[] {
  const cpus = os.cpus();
  const [l1, l5] = os.loadavg();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node ${process.version}; tfjs ${tfjsVersion()}`,
    `- load average when this table was printed: ${l1.toFixed(2)} (1 min), ${l5.toFixed(2)} (5 min); the benchmark itself keeps about one core busy, so much more than 1 means other work shared the machine`,
  ];
}

export function tfjsVersion(root = ROOT): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function git(args: string[], cwd = ROOT): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export function describeRevision(root: string): string {
  try {
    const sha = git(['rev-parse', '--short=10', 'HEAD'], root);
    const dirty = git(['status', '--porcelain', '--untracked-files=no'], root) ? ' with uncommitted changes' : '';
    return `${sha}${dirty}`;
  } catch {
    return 'unknown revision';
  }
}

/**
 * An earlier commit checked out in a temporary worktree (reused between runs), sharing this checkout's
 * node_modules, for before/after comparisons in one run.
 */
export function checkoutRevision(revision: string): string {
  const sha = git(['rev-parse', '--verify', `${revision}^{commit}`]);
  const dir = path.join(os.tmpdir(), `distillery-bench-${sha.slice(0, 12)}`);
  if (!existsSync(path.join(dir, 'package.json'))) {
    git(['worktree', 'add', '--detach', '--force', dir, sha]);
  }
  const modules = path.join(dir, 'node_modules');
  if (!existsSync(modules)) symlinkSync(realpathSync(path.join(ROOT, 'node_modules')), modules);
  return dir;
}

/** A child process that answers one "@@bench <json>" line per JSON request line. */
export class JsonLineServer {
  private readonly child: ChildProcess;
  private readonly waiting: ((value: unknown) => void)[] = [];
  private readonly queue: unknown[] = [];
  private exited: string | null = null;
  readonly ready: Promise<Record<string, unknown>>;

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    cwd = ROOT,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('@@bench ')) {
        if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
        return;
      }
      const value = JSON.parse(line.slice(8));
      const next = this.waiting.shift();
      if (next) next(value);
      else this.queue.push(value);
    });
    this.child.on('exit', (code) => {
      this.exited = `${label} exited with code ${code}`;
      for (const resolve of this.waiting.splice(0)) resolve({ error: this.exited });
    });
    this.ready = this.next() as Promise<Record<string, unknown>>;
  }

  private next(): Promise<unknown> {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.exited) return Promise.resolve({ error: this.exited });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async request<T>(message: unknown): Promise<T> {
    await this.ready;
    this.child.stdin!.write(`${JSON.stringify(message)}\n`);
    const reply = (await this.next()) as T & { error?: string };
    if (reply.error) throw new Error(`${this.label}: ${reply.error}`);
    return reply;
  }

  close(): void {
    this.child.stdin?.end();
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/** A tfjs measurement server (bench/node-server.ts) running the code of `root` on `backend`. */
export function nodeServer(label: string, root: string, backend: string): JsonLineServer {
  return new JsonLineServer(label, process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/node-server.ts'), '--root', root, '--backend', backend], root);
}

/** A Python with torch: --python, then Debian's /usr/bin/python3, then python3 on PATH. */
export function findTorchPython(preferred?: string): { python: string | null; note: string } {
  const candidates = [preferred, '/usr/bin/python3', 'python3'].filter((p): p is string => Boolean(p));
  for (const python of candidates) {
    const check = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (check.status === 0) return { python, note: `PyTorch ${check.stdout.trim()} (${python})` };
  }
  return { python: null, note: `no Python with torch found (tried ${candidates.join(', ')}); PyTorch columns skipped (Debian: apt install python3-torch)` };
}

/** Production build of `root` into `outDir` (vite's output goes to stderr: stdout carries the report). */
export function build(root: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const result = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`vite build in ${root} failed (exit ${result.status})`);
}

export interface SizedFile {
  file: string;
  bytes: number;
  gzip: number;
}

function sized(dir: string, file: string): SizedFile {
  const content = readFileSync(path.join(dir, file));
  return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

/** Relative JavaScript files a module imports statically (import/export ... from "./x.js", import "./x.js"). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g)) found.add(match[1]);
  return [...found];
}

function dynamicImports(code: string): string[] {
  return [...new Set([...code.matchAll(/import\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]))];
}

/** A module and everything it imports statically, as paths relative to the build folder. */
function closure(dir: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(readFileSync(path.join(dir, file), 'utf8'))) visit(path.posix.join(path.posix.dirname(file), spec));
  };
  entries.forEach(visit);
  return [...seen];
}

export interface BuildSizes {
  initial: SizedFile[];
  /** Whether any initial file holds tfjs (its source links to github.com/tensorflow/tfjs; the worker's does). */
  initialHoldsTfjs: boolean;
  css: SizedFile[];
  worker: SizedFile[];
  /** Chunks the worker imports on demand, each with what it holds. */
  workerOnDemand: (SizedFile & { holds: string })[];
  wasm: SizedFile[];
}

/** Sizes of a production build: what index.html loads eagerly, the worker and its on-demand chunks, wasm. */
export function buildSizes(dir: string): BuildSizes {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const attr = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1].replace(/^\.\//, ''));
  const eager = [...attr(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...attr(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)];
  const initial = closure(dir, eager).map((f) => sized(dir, f));
  const css = attr(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g).map((f) => sized(dir, f));
  const assets = readdirSync(path.join(dir, 'assets')).map((f) => `assets/${f}`);
  const workerEntries = assets.filter((f) => /worker/i.test(path.basename(f)) && f.endsWith('.js'));
  const worker = closure(dir, workerEntries).map((f) => sized(dir, f));
  const onDemand = new Set<string>();
  for (const f of worker)
    for (const spec of dynamicImports(readFileSync(path.join(dir, f.file), 'utf8'))) onDemand.add(path.posix.join(path.posix.dirname(f.file), spec));
  const workerOnDemand = [...onDemand].map((f) => {
    const code = readFileSync(path.join(dir, f), 'utf8');
    const holds = /threaded-simd/.test(f)
      ? 'wasm threads'
      : code.includes('WASM_HAS_SIMD_SUPPORT')
        ? 'wasm backend'
        : /webgpu/i.test(code)
          ? 'webgpu backend'
          : 'other';
    return { ...sized(dir, f), holds };
  });
  const wasm = assets.filter((f) => f.endsWith('.wasm') && statSync(path.join(dir, f)).isFile()).map((f) => sized(dir, f));
  const initialHoldsTfjs = initial.some((f) => readFileSync(path.join(dir, f.file), 'utf8').includes('tensorflow/tfjs'));
  return { initial, initialHoldsTfjs, css, worker, workerOnDemand, wasm };
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const sum = (files: SizedFile[], key: 'bytes' | 'gzip') => files.reduce((s, f) => s + f[key], 0);
