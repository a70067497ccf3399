export * from './ocpp16/index.js';
export * from './robinson/index.js';
