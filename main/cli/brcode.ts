import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import { decode, decodeView, encodeDynamic, encodeStatic, renderQrPng, renderQrSvg, type Decoded } from '../core/brcode';
import { parseOptions, required, type CliCommand } from './args';

const ENCODE_USAGE =
  'pixdesk brcode encode --key K --name N --city C [--amount 10.50] [--txid T] [--description D] [--postal-code P] [--single-use]\n' +
  '       pixdesk brcode encode --url LOCATION --name N --city C [--postal-code P] [--single-use]';
const DECODE_USAGE = 'pixdesk brcode decode [--json] PAYLOAD';
const QR_USAGE = 'pixdesk qr PAYLOAD --out FILE.svg|FILE.png [--size N]';

function usage(message: string, use: string): AppError {
  return new AppError('CLI_USAGE', `${message}\nUso: ${use}`);
}


/** "1234.5" style amount → "R$ 1.234,50" when well formed, else the raw text. */
function brl(amount: string): string {
  const m = /^(\d+)\.(\d{2})$/.exec(amount);
  if (!m) return `"${amount}" (fora do formato)`;
  const int = (m[1] as string).replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `R$ ${int},${m[2] as string}`;
}

/** Readable pt-BR summary of a decoded payload. */
export function decodeSummary(d: Decoded): string {
  const kind = d.url !== null ? 'dinâmico (URL da cobrança)' : d.pixKey !== null ? 'estático (chave Pix)' : 'Pix Automático (somente recorrência)';
  const lines = [
    `BR Code Pix ${kind}`,
    d.pixKey !== null ? `Chave Pix:   ${d.pixKey}` : null,
    d.url !== null ? `URL:         https://${d.url.replace(/^https?:\/\//i, '')}` : null,
    `Recebedor:   ${d.merchantName || '(sem nome)'}`,
    `Cidade:      ${d.merchantCity || '(sem cidade)'}`,
    d.postalCode !== null ? `CEP:         ${d.postalCode}` : null,
    `Valor:       ${d.amount !== null ? brl(d.amount) : d.url !== null ? 'definido na cobrança (URL)' : 'livre (quem paga informa)'}`,
    `txid:        ${d.txid ?? '(ausente)'}`,
    d.description !== null ? `Descrição:   ${d.description}` : null,
    `Uso único:   ${d.singleUse ? 'sim' : 'não'}`,
    `CRC:         ${d.crc} (confere)`,
  ].filter((l): l is string => l !== null);
  if (d.problems.length === 0) lines.push('Problemas:   nenhum');
  else {
    lines.push(`Problemas (${d.problems.length}):`);
    for (const p of d.problems) lines.push(`  - ${p}`);
  }
  return lines.join('\n');
}

function parseSize(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw usage(`--size deve ser um número inteiro de pixels (recebido "${raw}").`, QR_USAGE);
  return Number(raw);
}

/** `pixdesk brcode …` and `pixdesk qr`: BR Code encode/decode and QR Code files. */
export const brcodeCommands: CliCommand[] = [
  {
    path: 'brcode encode',
    summary: 'gera um BR Code (Pix Copia e Cola)',
    usage: ENCODE_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          key: { type: 'string' },
          url: { type: 'string' },
          name: { type: 'string' },
          city: { type: 'string' },
          amount: { type: 'string' },
          txid: { type: 'string' },
          description: { type: 'string' },
          'postal-code': { type: 'string' },
          'single-use': { type: 'boolean' },
        },
        ENCODE_USAGE,
      );
      if (positionals.length > 0) throw usage(`Argumento inesperado: "${positionals[0]}".`, ENCODE_USAGE);
      if (values.key !== undefined && values.url !== undefined) {
        throw usage('Use --key (QR estático) ou --url (QR dinâmico), não os dois.', ENCODE_USAGE);
      }
      if (values.key === undefined && values.url === undefined) {
        throw usage('Informe --key (QR estático) ou --url (QR dinâmico).', ENCODE_USAGE);
      }
      const name = required(values.name, 'name');
      const city = required(values.city, 'city');
      let payload: string;
      if (values.url !== undefined) {
        for (const flag of ['amount', 'txid', 'description'] as const) {
          if (values[flag] !== undefined) {
            throw usage(`--${flag} não se aplica ao QR dinâmico: o valor, o txid e a descrição vêm da cobrança (URL).`, ENCODE_USAGE);
          }
        }
        payload = encodeDynamic({
          url: required(values.url, 'url'),
          name,
          city,
          postalCode: values['postal-code'] ?? null,
          singleUse: values['single-use'] === true,
        });
      } else {
        payload = encodeStatic({
          key: required(values.key, 'key'),
          name,
          city,
          amount: values.amount ?? null,
          txid: values.txid ?? null,
          description: values.description ?? null,
          postalCode: values['postal-code'] ?? null,
          singleUse: values['single-use'] === true,
        });
      }
      io.out(payload);
      return 0;
    },
  },
  {
    path: 'brcode decode',
    summary: 'lê e valida um BR Code',
    usage: DECODE_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(argv, { json: { type: 'boolean' } }, DECODE_USAGE);
      if (positionals.length !== 1) throw usage('Informe um BR Code (entre aspas se tiver espaços).', DECODE_USAGE);
      const d = decode(positionals[0] as string);
      io.out(values.json ? JSON.stringify(decodeView(d), null, 2) : decodeSummary(d));
      return 0;
    },
  },
  {
    path: 'qr',
    summary: 'desenha o QR Code de um payload',
    usage: QR_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { out: { type: 'string' }, size: { type: 'string' } }, QR_USAGE);
      if (positionals.length !== 1) throw usage('Informe o payload (BR Code) entre aspas.', QR_USAGE);
      const out = required(values.out, 'out');
      const ext = path.extname(out).toLowerCase();
      if (ext !== '.svg' && ext !== '.png') throw usage(`--out deve terminar em .svg ou .png (recebido "${out}").`, QR_USAGE);
      const size = parseSize(values.size);
      const payload = (positionals[0] as string).trim();
      const d = decode(payload); // refuse unreadable payloads: a QR of a broken code helps nobody
      const data = ext === '.svg' ? await renderQrSvg(payload, { size }) : await renderQrPng(payload, { size });
      try {
        writeFileSync(out, data);
      } catch (e) {
        const code = (e as { code?: string }).code;
        const why = code === 'ENOENT' ? 'a pasta não existe' : code === 'EACCES' || code === 'EPERM' ? 'sem permissão' : 'erro de gravação';
        throw new AppError('FILE_NOT_WRITABLE', `Não foi possível gravar ${out} (${why}).`);
      }
      for (const p of d.problems) io.err(`aviso: ${p}`);
      io.out(`QR Code gravado em ${out}`);
      return 0;
    },
  },
];
