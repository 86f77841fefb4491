import { z } from 'zod';

/** The id of a board record or person as the control state holds it. */
export const recordIdSchema = z.string().min(1).max(64);
