import { AppError } from '../core/errors';
import type { CliCommand } from './args';

/** Commands of DESIGN.md whose features have not landed yet: they fail clearly instead of pretending. */
function notYet(path: string, usage: string, summary: string): CliCommand {
  return {
    path,
    summary,
    usage,
    run() {
      throw new AppError('NOT_AVAILABLE', `O comando "pixdesk ${path}" ainda não está disponível nesta versão.`);
    },
  };
}

export const stubCommands: CliCommand[] = [
  notYet('brcode encode', 'pixdesk brcode encode --key K --name N --city C [--amount 10.50] …', 'gera um BR Code (Pix Copia e Cola)'),
  notYet('brcode decode', 'pixdesk brcode decode [--json] PAYLOAD', 'lê e valida um BR Code'),
  notYet('qr', 'pixdesk qr PAYLOAD --out FILE.svg|FILE.png [--size N]', 'desenha o QR Code de um payload'),
  notYet('excel inspect', 'pixdesk excel inspect FILE [--json]', 'lê a planilha "Credencial e Token.xlsx" do Itaú'),
  notYet('sandbox serve', 'pixdesk sandbox serve [--host 127.0.0.1] [--port 8443]', 'sobe o sandbox local do Itaú'),
  notYet('sandbox issue-token', 'pixdesk sandbox issue-token --out FILE.xlsx', 'emite um token temporário do sandbox'),
  notYet('sandbox pay', 'pixdesk sandbox pay BRCODE', 'paga um BR Code no sandbox'),
  notYet('accounts add', 'pixdesk accounts add --excel FILE --company C --city L --state UF', 'cadastra uma conta Itaú'),
  notYet('accounts list', 'pixdesk accounts list [--json]', 'lista as contas'),
  notYet('charges create', 'pixdesk charges create --account ID --amount 10.50 [--static]', 'cria uma cobrança'),
  notYet('apps create', 'pixdesk apps create --name N [--json]', 'cria um app de API (AppID)'),
];
