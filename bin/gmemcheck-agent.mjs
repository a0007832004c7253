#!/usr/bin/env node
// Stand-alone entry for the remote agent until `gmemcheck agent` is wired into the main CLI:
//   gmemcheck-agent --stdio | --listen 127.0.0.1:7355 --token-file FILE [--backend native|emulator]
import { register } from 'tsx/esm/api';

register();
const { agentMain } = await import('../cli/agent.ts');
// Exit explicitly: a finished stdio session must not linger on a half-closed pipe.
process.exit(await agentMain(process.argv.slice(2)));
