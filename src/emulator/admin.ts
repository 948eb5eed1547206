/**
 * The /_emulator/* admin API (§13.3), not part of Azure: stats, config, faults, clock, reset. Same key
 * as the data plane. Answers plain JSON; validation errors are 400 with the one-line issues.
 */
import type { EmulatorCore, EmulatorPatch } from './emulator-core.ts';
import { EmulatorConfigError } from './config.ts';
import type { FaultSpec } from './fault-types.ts';
import { validateFault } from './fault-types.ts';
import type { Exchange } from './exchange.ts';

/** The config as JSON: without the acceptBearer function, and the answer key (possibly huge) as its size. */
export function publicConfig(core: EmulatorCore): unknown {
  const { acceptBearer: _drop, answerKey, ...rest } = core.config;
  return { ...rest, answerKeySize: answerKey?.length ?? 0 };
}

export function checkedFault(spec: unknown, path = 'fault'): FaultSpec {
  const issues: string[] = [];
  validateFault(issues, path, spec);
  if (issues.length) throw new EmulatorConfigError(issues);
  return spec as FaultSpec;
}

function bad(ex: Exchange, err: unknown): void {
  const issues = err instanceof EmulatorConfigError ? err.issues : [(err as Error).message];
  ex.send(400, JSON.stringify({ error: { code: 'invalid_config', message: issues.join('; '), issues } }));
}

export function handleAdmin(core: EmulatorCore, ex: Exchange, method: string, path: string, query: URLSearchParams, raw: string): void {
  const ok = (value: unknown) => ex.send(200, JSON.stringify(value ?? {}));
  let body: unknown;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch (err) {
      return bad(ex, err);
    }
  }
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_emulator/stats': {
        const dep = query.get('deployment');
        if (dep && query.get('log'))
          return ok({ ...core.stats(), admissionLog: core.admissionLog(dep), completions: core.completions(dep) });
        return ok(core.stats());
      }
      case 'GET /_emulator/sends':
        return ok(core.deployments.get(query.get('deployment') ?? '')?.counters.sends.list() ?? []);
      case 'GET /_emulator/admissions':
        return ok(core.admissionLog(query.get('deployment') ?? ''));
      case 'GET /_emulator/config':
        return ok(publicConfig(core));
      case 'PATCH /_emulator/config':
        core.patch((body ?? {}) as EmulatorPatch);
        return ok(publicConfig(core));
      case 'POST /_emulator/reset':
        core.reset();
        return ok({ reset: true });
      case 'GET /_emulator/faults':
        return ok(core.faults.list());
      case 'POST /_emulator/faults': {
        const list = Array.isArray(body) ? body : [body];
        const specs = list.map((f, i) => checkedFault(f, Array.isArray(body) ? `faults[${i}]` : 'fault'));
        return ok(specs.map((s) => core.faults.add(s)));
      }
      case 'DELETE /_emulator/faults': {
        const id = query.get('id');
        if (id) return ok({ removed: core.faults.remove(id) });
        core.faults.clear();
        return ok({ removed: true });
      }
      case 'GET /_emulator/clock':
        return ok(clockView(core));
      case 'POST /_emulator/clock': {
        const b = (body ?? {}) as { timeScale?: unknown; advanceMs?: unknown; latencyScale?: unknown };
        const patch: EmulatorPatch = {};
        if (b.timeScale !== undefined) patch.timeScale = b.timeScale as number;
        if (b.latencyScale !== undefined) patch.latencyScale = b.latencyScale as number;
        core.patch(patch);
        if (typeof b.advanceMs === 'number' && b.advanceMs > 0) core.clock.advance(b.advanceMs);
        return ok(clockView(core));
      }
      default:
        return ex.send(404, JSON.stringify({ error: { code: '404', message: 'Resource not found' } }));
    }
  } catch (err) {
    return bad(ex, err);
  }
}

export function clockView(core: EmulatorCore) {
  return { now: core.clock.now(), elapsedMs: core.elapsedMs(), timeScale: core.clock.timeScale, latencyScale: core.latencyScale() };
}
