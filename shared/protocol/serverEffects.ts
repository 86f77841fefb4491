/**
 * Side effects a step's command needs beyond the control state, which only the
 * server can perform (they touch other documents). A step entry names them in
 * `effects`; the server runs each through its hook of the same name before it
 * saves the new state, so a failed effect leaves the state as it was and the
 * command can be tried again.
 */
export const SERVER_EFFECTS = {
  revealDrafts: { failed: 'The notes could not be revealed' },
  revealCards: { failed: 'The feedback could not be revealed' },
  gatherLog: { failed: 'The shared log entries could not be put up' },
  /** The playlist step: the resource must be one of the meeting's playlists; it is marked as featured by this meeting. */
  featureResource: { failed: 'The resource could not be featured' },
} as const satisfies Record<string, { failed: string }>;

export type ServerEffect = keyof typeof SERVER_EFFECTS;
