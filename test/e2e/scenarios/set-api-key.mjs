// 1. A key set through the palette is checked against the provider, and the status bar then shows
// the Segmind balance the provider reported.

import { assert, waitFor } from '../harness.mjs';

export default {
  name: 'set-api-key',
  title: 'Set API Key through the palette; the status bar shows the balance',
  // A balance no default would produce, so the status bar can only have it from the simulator.
  simulator: { credits: 17.25 },
  async run(vs, sim) {
    assert.equal(await vs.statusBarBalance(), undefined, 'no balance is shown before a key is set');
    await vs.setApiKey('Segmind', sim.validKey);
    const saved = (await vs.notificationTexts()).find((t) => t.includes('Segmind key saved'));
    // Segmind reports paid and free credits (the simulator's free credits are 0.018…); either the
    // paid balance or the sum is an honest reading.
    assert.match(saved, /Balance: 17\.2\d/, `the saved message gives the balance: ${saved}`);
    const balance = await waitFor(() => vs.statusBarBalance(), { message: 'the status bar to show the Segmind balance' });
    assert.ok(Math.abs(balance - 17.25) < 0.05, `the status bar shows the simulator's balance (${balance})`);
    assert.match(await vs.creditsItem().first().innerText(), /17\.2\d/, 'the balance is visible text, not only an accessible name');
    assert.ok(sim.requests.some((r) => r.provider === 'segmind' && r.path.endsWith('/get-user-credits') && r.authorized), 'the key was checked against the provider');
  },
};
