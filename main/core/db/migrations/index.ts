import type { Migration } from '..';
import { m0001Init } from './0001-init';
import { m0002Accounts } from './0002-accounts';
import { m0005Charges } from './0005-charges';
import { m0007ChargesList } from './0007-charges-list';

/** The app database's migrations, in order. Append only: a shipped migration is never edited. */
export const appMigrations: readonly Migration[] = [m0001Init, m0002Accounts, m0005Charges, m0007ChargesList];
