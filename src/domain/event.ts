/**
 * The shapes every event shares, in the task log and in a node's journal.
 * Pure types: time and ids always come in as data.
 */

/** Who wrote an event, under which leadership term, because of what, and when (ms since epoch). */
export interface EventMeta {
  readonly node: string;
  readonly incarnation: number;
  readonly epoch?: number;
  readonly causationId?: string;
  readonly at: number;
}

/** A typed, versioned event as the domain produces it (before it is stored). */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly version: number;
  readonly data: D;
  readonly meta: EventMeta;
}

/** Where an event that could not be applied or parsed sits: a stream revision, a global position, a byte offset or a line. */
export interface EventLocation {
  readonly source?: string;
  readonly stream?: string;
  readonly revision?: number;
  readonly position?: number;
  readonly offset?: number;
  readonly line?: number;
}

/** Something an `evolve` or a parser could not apply: recorded, never thrown. */
export interface Anomaly {
  readonly kind: string;
  readonly message: string;
  readonly at?: number;
  readonly location?: EventLocation;
  readonly eventType?: string;
}

/** The decider triple (emmett's shape): the whole contract of a piece of the domain. */
export interface Decider<Command, State, Event> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}

/** Compile-time exhaustiveness for switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
