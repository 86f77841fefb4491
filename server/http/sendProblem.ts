import type { Response } from 'express';
import type { ProblemBody, ProblemCode } from '../../shared/problem.ts';

/** Answers an HTTP request with the one error shape, `{ error: { code, message } }`. */
export function sendProblem(res: Response, status: number, code: ProblemCode, message: string): void {
  res.status(status).json({ error: { code, message } } satisfies ProblemBody);
}
