/**
 * Child process of the webhook kill-point test: the webhook side of a PixDesk process on a real profile (its SQLite
 * file and vault), small on purpose — only the database, the vault, the event bus and the webhook service, so each
 * kill costs a short process start and not the whole app. It announces a payment the profile has recorded (as the
 * charges engine does when it sees one: `charge:paid` on the event bus, turned into queued deliveries by the
 * service), announces an older one again (a payment seen twice must not queue twice) and sends what is due, until
 * the parent SIGKILLs it — or, with LIMIT 0, until everything is announced and the queue is empty ("drained").
 *
 *   kill-webhook-child PROFILE V0 R0 SPEED LIMIT
 *
 * The sender runs on an accelerated clock shared with the parent: V0 + (Date.now() − R0)·SPEED ms, so the real
 * retry delays (10·2^n s) and the 60 s lease pass SPEED times faster, and a new child continues the time of the one
 * before it. LIMIT: how many new payments this life announces (a few ms apart); the rest is left to the next child.
 */
import path from 'node:path';
import { WebhookService } from '../../../main/core/api-server/webhooks';
import { ChargeStore } from '../../../main/core/charges/charge-store';
import { chargeView } from '../../../main/core/charges/views';
import { openDatabase } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { EventBus } from '../../../main/core/events';
import { FileKeyProvider, Vault } from '../../../main/core/vault';

const [profileDir, v0, r0, speedArg, limitArg] = process.argv.slice(2);
const speed = Number(speedArg);
const limit = Number(limitArg);
const clock = () => new Date(Number(v0) + (Date.now() - Number(r0)) * speed);
const say = (t: string) => process.stdout.write(`${t}\n`);

const db = openDatabase({ file: path.join(profileDir!, 'pixdesk.sqlite'), migrations: appMigrations });
const vault = Vault.open(db, new FileKeyProvider({ profileDir: profileDir!, machineId: 'test-machine' }));
const events = new EventBus();
const webhooks = new WebhookService({ db, vault, events, now: clock, tickMs: 5, sendTimeoutMs: 5000 });
const charges = new ChargeStore(db);
webhooks.startSender();
say('ready');

/** Paid charges whose completion is not queued yet (a payment recorded just before a crash, say). */
const unannounced = () =>
  (
    db
      .prepare(
        `SELECT id FROM charges c WHERE status = 'paid' AND NOT EXISTS
           (SELECT 1 FROM webhook_deliveries d WHERE d.event = 'OPENPIX:CHARGE_COMPLETED' AND d.dedupe_key = 'OPENPIX:CHARGE_COMPLETED:' || c.id)
         ORDER BY paid_at, id`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
const left = () => (db.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE status IN ('pending', 'sending')").get() as { n: number }).n;
const announce = (id: string) => events.publish('charge:paid', { charge: chargeView(charges, charges.getCharge(id)!) });

void (async () => {
  if (limit > 0) {
    for (const id of unannounced().slice(0, limit)) {
      announce(id);
      say(`queued ${id}`);
      // …and a payment seen again (another poll, another process): it must add nothing to the queue.
      const again = db.prepare("SELECT id FROM charges WHERE status = 'paid' ORDER BY random() LIMIT 1").get() as { id: string };
      announce(again.id);
      await new Promise((r) => setTimeout(r, 3 + Math.floor(Math.random() * 10)));
    }
    return; // keep sending until the kill
  }
  for (const id of unannounced()) announce(id);
  while (left()) await new Promise((r) => setTimeout(r, 10));
  say('drained');
  await webhooks.stopSender();
  webhooks.close();
  db.close();
})();
