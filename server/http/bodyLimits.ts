/**
 * Request body caps: small everywhere but where an export is carried forward
 * (no other route takes a body).
 * A full board's export (2,000 notes of 500 characters) is 1.2 MB of JSON in
 * ASCII and 3.2 MB in CJK script, 3 bytes a character
 * (scripts/measure-export-size.ts); 4 MB holds the largest with room to spare.
 */
export const LIMITS_BODY = { join: '4kb', createSession: '4mb' } as const;
