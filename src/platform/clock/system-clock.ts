/** The real clock, used only by the composition root. */
import type { Clock } from '../../core/ports/clock';

export const systemClock: Clock = { now: () => new Date() };
