/**
 * TargetFactories by backend name. Imported lazily so the agent starts (and can say what is
 * missing) on a machine where one of the adapters does not load. The emulator's profile is
 * resolved by the caller (cli/agent.ts): adapters do not import spec logic.
 */
import type { Profile } from '../../../spec/vocab/index.js';
import type { TargetFactory } from '../../../spec/vocab/target.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { BackendName } from './backend.js';

export const backendFactory = async (name: BackendName, profile?: Profile): Promise<TargetFactory> => {
  if (name === 'native') {
    const { createNativeTarget, nativeAvailable } = await import('../../native/index.js');
    const avail = nativeAvailable();
    if (!avail.ok) throw new TargetBrokenError(`native backend unavailable: ${avail.reason}`);
    return () => createNativeTarget();
  }
  if (profile === undefined) throw new TargetBrokenError('emulator backend needs a profile');
  const { createEmulator } = await import('../../emulator/index.js');
  return async (seed) => createEmulator({ profile, seed, bugs: [] });
};
