import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { sendProblem } from './sendProblem.ts';

/** The request body checked against `schema`, or null once a 400 naming the first problem is sent. */
export function parseBody<T>(schema: ZodType<T>, req: Request, res: Response): T | null {
  const result = schema.safeParse(req.body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const message = issue?.code === 'invalid_type' && issue.path.length === 0 ? 'Expected a JSON object body.' : issue?.message;
  sendProblem(res, 400, 'invalid', message ?? 'Invalid request body.');
  return null;
}
