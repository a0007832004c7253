/**
 * Long mixed sequences over the whole vocabulary: the deepest states (bound, mapped, policied,
 * registered, converted files interacting) are only reached by mixing every domain.
 */
import { domainSuite } from './_support/domain-suite.js';

domainSuite('mixed', ['linux-6.18', 'upstream']);
