/** The service and host families: `service.stop|start|status`, `host.isolate|unisolate`. */
import type { ActionImpl } from '../errors';
import { serviceStart, serviceStatus, serviceStop } from './actions';
import type { ServiceDeps } from './deps';
import { hostIsolate, hostUnisolate } from './isolate';

export type { BrokerRegistry, HostCommands, ServiceDeps } from './deps';
export { zkAnswers } from './probe';

/** The service and host actions by registry name. */
export function createServiceActivities(deps: ServiceDeps): Record<string, ActionImpl> {
  return {
    'service.stop': serviceStop(deps),
    'service.start': serviceStart(deps),
    'service.status': serviceStatus(deps),
    'host.isolate': hostIsolate(deps),
    'host.unisolate': hostUnisolate(deps),
  };
}
