/**
 * One probe's result, exactly the data of the `HealthChecked` node event. Probes only observe:
 * hysteresis (rise/fall) is the domain's fold, not theirs.
 */
import type { HealthChecked } from '../../domain/node/events.ts';

export type HealthCheck = HealthChecked['data'];
