import type { Readable } from 'node:stream';

/**
 * The last lines a child process printed, stdout and stderr interleaved as
 * they arrived, for error messages: a process that fails to start or dies
 * says why in its last lines, and a long run must not keep everything.
 */
export class OutputTail {
  private readonly lines: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private readonly partial = { stdout: '', stderr: '' };

  constructor(
    private readonly keep = 200,
    /** Called with each complete line, e.g. to echo it with a prefix. */
    private readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void = () => undefined,
  ) {}

  /** Collects what `stream` prints as `name`. */
  follow(stream: Readable | null, name: 'stdout' | 'stderr'): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => this.push(name, chunk));
    stream?.on('end', () => {
      if (this.partial[name]) this.add(name, this.partial[name]);
      this.partial[name] = '';
    });
  }

  private push(name: 'stdout' | 'stderr', chunk: string): void {
    const parts = (this.partial[name] + chunk).split('\n');
    this.partial[name] = parts.pop()!;
    for (const line of parts) this.add(name, line.replace(/\r$/, ''));
  }

  private add(stream: 'stdout' | 'stderr', text: string): void {
    this.lines.push({ stream, text });
    if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    this.onLine(text, stream);
  }

  /** The kept lines, oldest first; only one stream's when `only` is given. */
  text(only?: 'stdout' | 'stderr'): string {
    return this.lines
      .filter((l) => !only || l.stream === only)
      .map((l) => l.text)
      .join('\n');
  }

  /** Forgets what was kept, e.g. before a restart, so the next failure shows only the new run. */
  clear(): void {
    this.lines.length = 0;
    this.partial.stdout = '';
    this.partial.stderr = '';
  }
}
