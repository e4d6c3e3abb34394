import type { AccountStore } from '../../accounts/account-store';
import type { ChargeEngine } from '../../charges';
import type { Handlers } from '../../contract';
import { AppError } from '../../errors';

type TillHandlers = Pick<Handlers, 'tills:location'>;

/** The fixed till QR: its location is made at the bank once per till and account (the default account unless named). */
export function tillHandlers(d: { engine: ChargeEngine; accounts: AccountStore; till: () => string }): TillHandlers {
  return {
    'tills:location': (i) => {
      const a = i.accountId ? d.accounts.get(i.accountId) : d.accounts.defaultAccount();
      if (!a) throw new AppError('NO_ACCOUNT', 'Nenhuma conta ativa para receber. Cadastre uma conta Itaú em Contas para ter o QR fixo do caixa.');
      const problem = d.engine.charges.apiProblem(a);
      if (problem) throw problem;
      return d.engine.tills.ensure(a.id, i.till ?? d.till());
    },
  };
}
