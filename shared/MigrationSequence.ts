/**
 * Versioned data that outlives the code that wrote it (a board document, an
 * exported file) is read through a migration sequence: the version it was
 * written at, then one `up` step per later version, in order, until it is
 * current. Steps are never edited once shipped; a change to the stored
 * shape adds the next one. Data from a version newer than the last step was
 * written by a newer server, and is refused rather than guessed at.
 */
export interface Migration<T> {
  /** The version this step brings the data to (the one before it plus one). */
  readonly version: number;
  /** What changed, for logs and reviewers. */
  readonly name: string;
  /** Returns the migrated value, or nothing when it changed the value in place. */
  readonly up: (value: T) => T | void;
}

/** Data of a version this code cannot read: newer than it knows, or not a version at all. */
export class VersionError extends Error {
  constructor(
    message: string,
    /** Written by newer code (rather than not a version at all): updating this server would read it. */
    readonly newer: boolean,
  ) {
    super(message);
  }
}

export class MigrationSequence<T> {
  /** The version this code writes. */
  readonly current: number;

  constructor(
    /** What is versioned, for messages ("board document", "inquiry export"). */
    readonly subject: string,
    /** The first version; data from before versions were recorded is this one. */
    readonly base: number,
    readonly steps: ReadonlyArray<Migration<T>>,
  ) {
    steps.forEach((step, i) => {
      if (step.version !== base + i + 1) throw new Error(`${subject} migration "${step.name}" must bring version ${base + i} to ${base + i + 1}`);
    });
    this.current = base + steps.length;
  }

  /** The steps that bring data of `version` to current; throws VersionError for a version this code cannot read. */
  pending(version: unknown): ReadonlyArray<Migration<T>> {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < this.base) {
      throw new VersionError(`${this.subject} version ${JSON.stringify(version) ?? 'undefined'} is not one this server knows (${this.base} to ${this.current}).`, false);
    }
    if (version > this.current) {
      throw new VersionError(`${this.subject} version ${version} was written by a newer server; this one reads up to version ${this.current}.`, true);
    }
    return this.steps.slice(version - this.base);
  }

  /** Brings `value`, written at `version`, to the current version. */
  migrate(value: T, version: unknown): T {
    let migrated = value;
    for (const step of this.pending(version)) migrated = step.up(migrated) ?? migrated;
    return migrated;
  }
}
