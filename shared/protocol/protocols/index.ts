import { CONSULTANCY, CONSULTANCY_STEPS } from './consultancy.ts';
import type { ProtocolDef } from './ProtocolDef.ts';
import { SUCCESS, SUCCESS_STEPS } from './success.ts';
import { TUNING, TUNING_STEPS } from './tuning.ts';

export type { ProtocolDef } from './ProtocolDef.ts';

/** The protocols a monthly meeting's middle block may run, by id. */
export const PROTOCOLS = { success: SUCCESS, consultancy: CONSULTANCY, tuning: TUNING } as const satisfies Record<string, ProtocolDef>;
export type ProtocolId = keyof typeof PROTOCOLS;
export const PROTOCOL_IDS = Object.keys(PROTOCOLS) as ProtocolId[];

/** Every protocol's steps, for the registry (steps.ts). */
export const PROTOCOL_STEPS = { ...SUCCESS_STEPS, ...CONSULTANCY_STEPS, ...TUNING_STEPS };
