import crypto from 'node:crypto';
import { formatBrl } from '../charges';
import { renderQrSvgSync } from '../brcode/qr';

/*
 * The payment link page, `GET /pay/{paymentLinkID}`: a tablet or phone at the counter shows the QR, the amount and
 * the copy-paste code, and turns to "Pago" when the payment is confirmed. Self-contained (no external resource), with
 * its own strict CSP: only its nonce'd inline style and script run, and it can only fetch its own status.
 */

export interface PayPageModel {
  linkId: string;
  title: string;
  amountCents: number | null;
  brCode: string | null;
  status: 'ACTIVE' | 'COMPLETED' | 'EXPIRED';
  expiresAt: string | null;
  /** Static QR codes have no payment state to follow. */
  live: boolean;
}

/** pt-BR texts of the page (it is served to customers, outside the renderer). */
const T = {
  lang: 'pt-BR',
  amount: 'Valor',
  open: 'Valor livre',
  scan: 'Aponte a câmera do app do seu banco para o QR Code, ou copie o código Pix abaixo.',
  copy: 'Copiar código Pix',
  copied: 'Código copiado',
  paid: 'Pago',
  paidHint: 'Pagamento confirmado. Obrigado!',
  expired: 'Cobrança expirada',
  expiredHint: 'Peça um novo QR Code no caixa.',
  expires: 'Expira em',
  waiting: 'Aguardando pagamento…',
};

const dateFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'short' });

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The page's HTML and the CSP header that goes with it (a fresh nonce per answer). */
export function payPage(m: PayPageModel): { html: string; csp: string } {
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const qr = m.brCode && m.status === 'ACTIVE' ? renderQrSvgSync(m.brCode, { size: 320 }) : '';
  const state = m.status === 'COMPLETED' ? 'paid' : m.status === 'EXPIRED' ? 'expired' : 'active';
  const html = `<!doctype html>
<html lang="${T.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(m.title)} — Pix</title>
<style nonce="${nonce}">
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#17212b;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:16px;box-shadow:0 2px 12px #0002;padding:24px;max-width:420px;width:100%;text-align:center}
h1{font-size:1.1rem;margin:0 0 8px}.amount{font-size:2.2rem;font-weight:700;margin:8px 0}
.qr svg{width:100%;max-width:320px;height:auto}.code{word-break:break-all;font-family:ui-monospace,monospace;font-size:.75rem;background:#f0f2f4;border-radius:8px;padding:8px;text-align:left}
button{margin-top:12px;font-size:1rem;padding:12px 16px;border:0;border-radius:10px;background:#0b6b57;color:#fff;width:100%}
.banner{display:none;font-size:2rem;font-weight:700;padding:32px 0}.paid .banner.ok{display:block;color:#0b6b57}.expired .banner.exp{display:block;color:#9a3412}
.paid .pay,.expired .pay{display:none}.hint{color:#52606d;font-size:.9rem}
</style></head>
<body><main id="root" class="${state}" data-link="${esc(m.linkId)}" data-live="${m.live ? '1' : '0'}">
<h1>${esc(m.title)}</h1>
<div class="amount">${m.amountCents !== null ? esc(formatBrl(m.amountCents)) : T.open}</div>
<div class="banner ok" role="status">${T.paid}<div class="hint">${T.paidHint}</div></div>
<div class="banner exp" role="status">${T.expired}<div class="hint">${T.expiredHint}</div></div>
<section class="pay"><div class="qr" aria-label="QR Code Pix">${qr}</div>
<p class="hint">${T.scan}</p>
<div class="code" id="code">${esc(m.brCode ?? '')}</div>
<button id="copy" type="button">${T.copy}</button>
<p class="hint" id="wait">${m.live ? T.waiting : ''}${m.expiresAt ? ` ${T.expires} ${esc(dateFmt.format(new Date(m.expiresAt)))}` : ''}</p></section>
</main>
<script nonce="${nonce}">
(function(){var root=document.getElementById('root');var b=document.getElementById('copy');
b.addEventListener('click',function(){var t=document.getElementById('code').textContent||'';
(navigator.clipboard?navigator.clipboard.writeText(t):Promise.reject()).then(function(){b.textContent=${JSON.stringify(T.copied)};}).catch(function(){});});
if(root.dataset.live!=='1'||root.className!=='active')return;
function poll(){fetch('/pay/'+encodeURIComponent(root.dataset.link)+'/status',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){
if(s.status==='COMPLETED'){root.className='paid';return;}if(s.status==='EXPIRED'){root.className='expired';return;}setTimeout(poll,2000);}).catch(function(){setTimeout(poll,5000);});}
setTimeout(poll,2000);})();
</script></body></html>`;
  return { html, csp };
}
