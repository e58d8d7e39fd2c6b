// The scenarios, in the order they run. Each is independent: fresh profile, own simulator.

import smoke from './smoke.mjs';

export const SCENARIOS = [smoke];
