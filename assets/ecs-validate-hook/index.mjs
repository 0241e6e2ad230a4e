// The ECS lifecycle hook of a blue/green, canary or linear deployment (stage POST_TEST_TRAFFIC_SHIFT): the new
// tasks serve the test listener only, and this asks them for the health path there before production traffic
// moves. It returns ECS's hookStatus: SUCCEEDED lets the deployment go on, FAILED rolls it back.
// Yours to extend (smoke tests, a version check); `node --test hooks/ecs-validate/` runs its tests.
// TEST_URL (set by the stack): the test listener and health path, e.g. http://my-alb.example:8443/health.

/** Answers that mean "not ready yet" (no healthy target behind the test listener), retried until the deadline. */
const WARMING = new Set([502, 503, 504]);

export async function handler(event, context, env = process.env) {
  // The payload's exact envelope varies by stage: logged whole, for the deployment's investigation.
  console.log(JSON.stringify(event));
  const url = env.TEST_URL;
  if (!url) {
    console.error('TEST_URL is not set');
    return { hookStatus: 'FAILED' };
  }
  const pollMs = Number(env.POLL_MS ?? 5000);
  // Stop polling before the function's own timeout, with a margin to answer.
  const remaining = context?.getRemainingTimeInMillis?.() ?? Number(env.DEADLINE_MS ?? 60000);
  const deadline = Date.now() + Math.max(0, remaining - 10000);
  for (;;) {
    let outcome;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
      outcome = res.status;
    } catch (err) {
      outcome = err instanceof Error ? err.message : String(err);
    }
    if (outcome === 200) {
      console.log(`${url}: 200`);
      return { hookStatus: 'SUCCEEDED' };
    }
    const warming = typeof outcome !== 'number' || WARMING.has(outcome);
    if (!warming || Date.now() + pollMs >= deadline) {
      console.error(`${url}: ${typeof outcome === 'number' ? `HTTP ${outcome}` : outcome}: rolling back`);
      return { hookStatus: 'FAILED' };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
