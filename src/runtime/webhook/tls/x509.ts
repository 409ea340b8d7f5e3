/**
 * `@peculiar/x509`, loaded the one way that works: its dependency injection (tsyringe) needs the
 * Reflect metadata API before the library loads, and it signs with Node's WebCrypto. Import the
 * library from here only.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
