import express, { type RequestHandler } from 'express';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './jsonDepth.ts';
import { holdsNul } from './jsonNul.ts';

/**
 * A JSON body parser with a size cap that also refuses deep nesting before
 * parsing (see jsonDepth.ts), and the NUL character in any string (jsonNul.ts). Mount it on each route after its rate limit,
 * so a client over its limit never gets its body read.
 */
export function jsonBody(limit: string): RequestHandler {
  return express.json({
    limit,
    verify: (_req, _res, buf) => {
      if (nestsDeeperThan(buf, MAX_JSON_DEPTH)) {
        throw Object.assign(new Error(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`), {
          status: 400,
          type: 'entity.too.deep',
        });
      }
      if (holdsNul(buf)) {
        throw Object.assign(new Error('Text may not contain the NUL character (U+0000).'), { status: 400, type: 'entity.nul' });
      }
    },
  });
}
