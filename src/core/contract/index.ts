/** The runtime contract: sub-commands, flags, paths, ports and the user id, as typed code. */
export * from './constants';
export * from './flags';
export * from './metrics';
export * from './leader-election';
export * from './options';
export * from './render';
export * from './spark-image';
