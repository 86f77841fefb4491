import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { sendProblem } from './sendProblem.ts';

/**
 * The request body checked against `schema`, or null once a 400 naming the
 * first problem is sent. A message that does not say which field it is about
 * ("not a real calendar date", "not an id") is prefixed with the field.
 */
export function parseBody<T>(schema: ZodType<T>, req: Request, res: Response): T | null {
  const result = schema.safeParse(req.body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue || (issue.code === 'invalid_type' && issue.path.length === 0)) {
    sendProblem(res, 400, 'invalid', 'Expected a JSON object body.');
    return null;
  }
  const field = issue.path.map(String).join('.');
  const last = String(issue.path.at(-1) ?? '');
  sendProblem(res, 400, 'invalid', !field || issue.message.startsWith(last) ? issue.message : `${field}: ${issue.message}`);
  return null;
}
