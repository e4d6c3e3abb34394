import type { BackupService } from '../../backup/backup-service';
import type { CallContext } from '../../auth';
import type { Handlers } from '../../contract';

type BackupHandlers = Pick<Handlers, 'backup:create' | 'backup:status' | 'backup:read' | 'backup:upload' | 'backup:restore'>;

/** Encrypted backups from the screen: written in the profile and downloaded in pieces; uploaded in pieces and restored. */
export function backupHandlers(backups: BackupService, actorOf: (ctx: CallContext) => string): BackupHandlers {
  return {
    'backup:create': (i, ctx) => backups.startCreate(i.passphrase, actorOf(ctx ?? {})),
    'backup:status': (i) => backups.status(i.id),
    'backup:read': (i) => backups.read(i.id, i.offset),
    'backup:upload': (i) => backups.upload(i.uploadId, i.offset, Buffer.from(i.dataBase64, 'base64')),
    'backup:restore': (i, ctx) => backups.restoreUpload(i.uploadId, i.passphrase, actorOf(ctx ?? {}), i.replace === true),
  };
}
