import type { Migration } from '../../db';
import { m0001Init } from './0001-init';
import { m0002Charges } from './0002-charges';
import { m0003KeysLocations } from './0003-keys-locations';

/** Schema of `<profile>/sandbox/sandbox.sqlite`, in order. Append only; never edit a shipped step. */
export const sandboxMigrations: readonly Migration[] = [m0001Init, m0002Charges, m0003KeysLocations];
