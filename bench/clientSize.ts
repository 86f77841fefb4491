import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, tempDir } from './servers.ts';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface ClientSizeResult {
  /** Where the bench built the client (a temp dir, so dist/client is left alone). */
  outDir: string;
  /**
   * JS fetched when a participant opens the board: the entry, the participant
   * view, their static imports, and the step on screen (each step's board is
   * its own chunk, fetched when shown): counted for the heaviest step.
   */
  participantJsFiles: string[];
  /** The step whose board weighs most, the one counted above. */
  heaviestStep: string;
  participantJsBytes: number;
  participantJsGzipBytes: number;
  /** Also counting what those chunks may import later (their dynamic imports, e.g. qrcode), not the other routes. */
  participantJsWithLazyGzipBytes: number;
  participantCssGzipBytes: number;
  /** Every JS file the build emitted. */
  allJsGzipBytes: number;
}

/** `vite build --manifest` into a temp dir (so dist/client is left alone); returns the dir. */
export function buildClient(options: { minify?: boolean } = {}): string {
  const outDir = tempDir('howmight-client-');
  const minify = options.minify === false ? ['--minify', 'false'] : [];
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--manifest', ...minify, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return outDir;
}

/** Builds the client with a manifest into a temp dir and sums what the participant route loads. */
export function clientSize(log: (line: string) => void): ClientSizeResult {
  log('  client: vite build');
  const outDir = buildClient();
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  const participantKey = Object.keys(manifest).find((k) => /views\/Participant\.svelte$/.test(k));
  if (!entryKey || !participantKey) throw new Error('client size: no entry or participant view in the manifest');

  const closure = (keys: string[], lazy: boolean): Set<string> => {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const chunk = manifest[key]!;
      for (const k of chunk.imports ?? []) visit(k);
      if (lazy) for (const k of chunk.dynamicImports ?? []) visit(k);
    };
    keys.forEach(visit);
    return seen;
  };
  const bytes = (file: string) => fs.readFileSync(path.join(outDir, file));
  const gzipped = new Map<string, number>();
  const gz = (file: string) => gzipped.get(file) ?? gzipped.set(file, zlib.gzipSync(bytes(file), { level: 9 }).byteLength).get(file)!;
  const sum = (keys: Iterable<string>) => [...keys].reduce((n, k) => n + gz(manifest[k]!.file), 0);
  const view = closure([entryKey, participantKey], false);
  // The other steps' boards are fetched only once the first is on screen (client/steps/registry.ts).
  const steps = Object.keys(manifest).filter((k) => /(^|\/)steps\/[^/]+\/[A-Za-z]+Board\.svelte$/.test(k));
  if (!steps.length) throw new Error('client size: no step boards in the manifest');
  const withStep = steps.map((k) => ({ step: k, keys: closure([entryKey, participantKey, k], false) }));
  const heaviest = withStep.reduce((a, b) => (sum(b.keys) > sum(a.keys) ? b : a));
  const onOpen = new Set([...view, ...heaviest.keys]);
  // What any of those may import later (qrcode, for one), and what that imports;
  // not the entry's own lazy imports, which are the other routes' views.
  const lazy = [...onOpen].flatMap((k) => (k === entryKey ? [] : (manifest[k]!.dynamicImports ?? [])));
  const withLazy = new Set([...onOpen, ...closure(lazy, true)]);

  const files = [...onOpen].map((k) => manifest[k]!.file);
  const css = new Set([...onOpen].flatMap((k) => manifest[k]!.css ?? []));
  const allJs = fs.readdirSync(path.join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    outDir,
    participantJsFiles: files,
    heaviestStep: path.basename(heaviest.step, '.svelte'),
    participantJsBytes: files.reduce((n, f) => n + bytes(f).byteLength, 0),
    participantJsGzipBytes: files.reduce((n, f) => n + gz(f), 0),
    participantJsWithLazyGzipBytes: [...withLazy].reduce((n, k) => n + gz(manifest[k]!.file), 0),
    participantCssGzipBytes: [...css].reduce((n, f) => n + gz(f), 0),
    allJsGzipBytes: allJs.reduce((n, f) => n + gz(path.join('assets', f)), 0),
  };
}
