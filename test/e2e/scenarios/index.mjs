// The scenarios, in the order they run. Each is independent: fresh profile, own simulator.

import describeImage from './describe-image.mjs';
import explainSelection from './explain-selection.mjs';
import segmind from './segmind.mjs';
import setApiKey from './set-api-key.mjs';
import smoke from './smoke.mjs';
import stop from './stop.mjs';
import streaming from './streaming.mjs';

export const SCENARIOS = [smoke, setApiKey, streaming, stop, segmind, explainSelection, describeImage];
