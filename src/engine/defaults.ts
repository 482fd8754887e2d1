/** The engine's defaults: kept with every other default in core/defaults.ts. */
export { ENGINE_DEFAULTS } from '../core/defaults.js';
