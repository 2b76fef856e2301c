import { vi } from 'vitest';

/**
 * Everything written to stdout and stderr until restored: the logger and metrics (shared/) write
 * there, in the functions' execution environments too (the local Lambda runtime writes an
 * invocation's output to this process before it returns the invocation's result).
 */
export function captureOutput() {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(record), vi.spyOn(process.stderr, 'write').mockImplementation(record)];
  return {
    text: () => chunks.join(''),
    /** The JSON lines written, parsed. */
    json: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, any>),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
