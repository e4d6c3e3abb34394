import { AppError } from '../errors';

/**
 * Failures that mean "this profile's data key cannot be had here": a folder copied to another machine or user, a
 * reinstalled system, a keychain entry removed, a Linux desktop that now offers another keychain backend. A wrong
 * admin password or a locked keychain are not in this list: typing the password again or unlocking fixes those.
 */
const KEY_LOST = new Set(['VAULT_WRONG_DEVICE', 'VAULT_KEYFILE', 'VAULT_BACKEND_UNREACHABLE', 'VAULT_WRONG_KEY']);

/** What happened and what to do, in pt-BR, after a key-loss failure (Electron's dialog, the browser host, the CLI). */
export function keyLossAdvice(profileDir: string): string {
  return [
    'O que aconteceu: a chave que abre os segredos deste perfil (certificados, chaves privadas, segredos das contas) fica presa a este computador e a este usuário — no chaveiro do sistema ou no arquivo device.key combinado ao ID da máquina — e não viaja com a pasta. Um computador novo, outro usuário, um sistema reinstalado ou um chaveiro trocado não a têm, e por segurança não há outra forma de abri-la.',
    `O que fazer: 1) se o computador ou o chaveiro antigo ainda existe, abra o PixDesk lá e faça um backup em Ajustes → Backup (ou "pixdesk backup create"); 2) aqui, mova a pasta do perfil (${profileDir}) para outro lugar — não a apague — e abra o PixDesk de novo: ele cria um perfil vazio; 3) restaure o backup em Ajustes → Backup (ou "pixdesk backup restore"): cobranças, Pix, devoluções, pessoas, apps, ajustes e o log de auditoria voltam; 4) refaça o onboarding de cada conta com um token novo do Itaú — certificados e segredos nunca vão no backup.`,
  ].join('\n\n');
}

/** The same error with {@link keyLossAdvice} added when it is a key-loss failure; any other error unchanged. */
export function explainKeyLoss(e: unknown, profileDir: string): unknown {
  if (!(e instanceof AppError) || !KEY_LOST.has(e.code)) return e;
  return new AppError(e.code, `${e.message}\n\n${keyLossAdvice(profileDir)}`, e.details as Record<string, unknown> | undefined);
}
