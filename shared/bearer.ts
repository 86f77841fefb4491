/**
 * Session tokens travel as `Authorization: Bearer <token>`, never in a URL,
 * where logs and browser history would keep them.
 */

/** The request headers that carry `token`. */
export function bearerHeader(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** The token of an Authorization header; null when there is none or it is not a Bearer one. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
