import type { Migration } from '..';
import { m0001Init } from './0001-init';
import { m0002Accounts } from './0002-accounts';
import { m0003OnboardingEndpoints } from './0003-onboarding-endpoints';
import { m0004Charges } from './0004-charges';
import { m0005Apps } from './0005-apps';
import { m0006ChargesList } from './0006-charges-list';
import { m0007TillLocations } from './0007-till-locations';
import { m0008Audit } from './0008-audit';
import { m0009Users } from './0009-users';

/** The app database's migrations, in order. Append only: a shipped migration is never edited. */
export const appMigrations: readonly Migration[] = [
  m0001Init,
  m0002Accounts,
  m0003OnboardingEndpoints,
  m0004Charges,
  m0005Apps,
  m0006ChargesList,
  m0007TillLocations,
  m0008Audit,
  m0009Users,
];
