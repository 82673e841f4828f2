import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Handler } from 'hono';
import type { AppEnv } from './context';

const NS_PER_MS = 1e6;

/**
 * GET /healthz/event-loop (only with EVENT_LOOP_STATS=true, which `npm run bench` sets): how late
 * the event loop ran a 5 ms timer since the last reset, in milliseconds. The longest delay is the
 * longest stall, when no request, health check or submission could be answered. `?reset` starts
 * a new measurement after answering.
 */
export function eventLoopStats(): Handler<AppEnv> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  return (c) => {
    const stats = { maxMs: delay.max / NS_PER_MS, p99Ms: delay.percentile(99) / NS_PER_MS, meanMs: delay.mean / NS_PER_MS, samples: delay.count };
    if (c.req.query('reset') !== undefined) delay.reset();
    return c.json(stats);
  };
}
