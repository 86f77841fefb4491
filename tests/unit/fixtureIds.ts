/**
 * A stand-in for shared/ids.ts in the export tests, so the fixed board has the
 * same record ids every run: `vi.mock('../../shared/ids.ts', () => import('./fixtureIds.ts'))`.
 */
let next = 0;

export function newId(): string {
  next += 1;
  return `id${String(next).padStart(3, '0')}`;
}

export function resetIds(): void {
  next = 0;
}
