/**
 * Strict validation of a readable BR Code against the manual (docs/itau-protocol.md, "BR Code"). Each violation becomes one pt-BR
 * line naming the field by id, e.g. `txid (62-05) "RP-1" fora do formato…`. Tolerated without a problem:
 * the Pix template at any id in 26–51, other arrangements' templates, real MCCs, fss (26-03), the legacy
 * 62/50 BR.GOV.BCB.BRCODE template and 80–99 templates (Pix Automático), unknown fields.
 */
import { directoryKeyType, parsePixKey } from './pix-key';
import { findField, isTemplateId } from './tlv';
import { isDigits, isPrintableAscii } from './text';
import { LIMITS, PIX_GUI, type Decoded, type TlvField } from './types';

/** `\d+\.\d{2}` without a regex. */
function isAmountFormat(v: string): boolean {
  const n = v.length;
  return n >= 4 && v.charCodeAt(n - 3) === 46 && isDigits(v.slice(0, n - 3)) && isDigits(v.slice(n - 2));
}

/** `[A-Za-z0-9]{1,25}` or `***`. */
export function isTxidFormat(v: string): boolean {
  if (v === '***') return true;
  if (v.length < 1 || v.length > LIMITS.txid) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

function idNum(id: string): number {
  return (id.charCodeAt(0) - 48) * 10 + (id.charCodeAt(1) - 48);
}

function isPixRecurrence(f: TlvField): boolean {
  const n = idNum(f.id);
  if (n < 80 || !f.children) return false;
  const gui = findField(f.children, '00');
  return !!gui && gui.value.toLowerCase() === PIX_GUI && !!findField(f.children, '25');
}

/** Duplicate detection without allocating: a stamp per id for the root and for the current template. */
const rootSeen = new Uint32Array(100);
const childSeen = new Uint32Array(100);
let stamp = 0;

/** Free-text and structural checks shared by the whole tree: empty values, non-ASCII, duplicates. */
function checkTree(fields: readonly TlvField[], path: string, problems: string[], pixId: string): void {
  const seen = path ? childSeen : rootSeen;
  if (stamp === 0xffffffff) {
    rootSeen.fill(0);
    childSeen.fill(0);
    stamp = 0;
  }
  const mark = ++stamp;
  const name = (f: TlvField) => (path ? `${path}-${f.id}` : `campo ${f.id}`);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as TlvField;
    const n = idNum(f.id);
    if (seen[n] === mark) problems.push(`${name(f)} aparece mais de uma vez.`);
    seen[n] = mark;
    if (f.length === 0) problems.push(`${name(f)} está vazio (tamanho 00).`);
    if (f.children) {
      checkTree(f.children, f.id, problems, pixId);
      continue;
    }
    if (!path && isTemplateId(n) && f.length > 0 && n !== 64) {
      problems.push(`${name(f)} deveria conter subcampos (id, tamanho, valor), mas está malformado.`);
      continue;
    }
    // Free text with its own, more specific message.
    if (!path && (n === 59 || n === 60)) continue;
    if (n === 2 && path === pixId) continue;
    if (!isPrintableAscii(f.value)) problems.push(`${name(f)} tem caracteres fora do ASCII imprimível (acentos, ç, emoji…).`);
  }
}

function checkText(label: string, value: string | undefined, max: number, problems: string[]): void {
  if (value === undefined) {
    problems.push(`${label} ausente.`);
    return;
  }
  if (value.length > max) problems.push(`${label} tem ${value.length} caracteres; o máximo é ${max}.`);
  if (value.trim() === '' && value.length > 0) problems.push(`${label} está em branco.`);
  if (!isPrintableAscii(value)) {
    problems.push(`${label} "${value}" tem acentos ou caracteres fora do ASCII imprimível (bancos recusam; escreva sem acentos).`);
  }
}

function keyProblem(pixId: string, key: string): string {
  let hint = '';
  try {
    const k = parsePixKey(key);
    if (k.key !== key) hint = `; no formato do diretório seria "${k.key}"`;
  } catch {
    hint = '; não é uma chave Pix válida';
  }
  return `chave Pix (${pixId}-01) "${key}" fora do formato do diretório (CPF/CNPJ só com dígitos válidos, +55…, e-mail minúsculo, chave aleatória minúscula com hífens)${hint}.`;
}

/** Every spec violation of a readable payload `s` (already trimmed), in pt-BR. */
export function collectProblems(s: string, fields: TlvField[], templates: TlvField[], d: Decoded): string[] {
  const problems: string[] = [];
  const pix = templates[0] as TlvField;
  const pixChildren = pix.children as TlvField[];

  if (s.length > LIMITS.payload) problems.push(`BR Code tem ${s.length} caracteres; o máximo é ${LIMITS.payload}.`);

  const first = fields[0] as TlvField;
  const f00 = findField(fields, '00');
  if (!f00) problems.push('campo 00 (versão do payload) ausente: deve ser o primeiro, com valor "01".');
  else if (first.id !== '00') problems.push('campo 00 (versão do payload) deve ser o primeiro campo.');
  if (f00 && f00.value !== '01') problems.push(`campo 00 (versão do payload) "${f00.value}" deveria ser "01".`);

  const f01 = findField(fields, '01');
  if (f01 && f01.value !== '11' && f01.value !== '12') {
    problems.push(`campo 01 (método de iniciação) "${f01.value}" inválido: use 12 (uso único) ou omita.`);
  }
  if (/[a-f]/.test(d.crc)) problems.push(`CRC (campo 63) "${d.crc}" em minúsculas: o manual pede hexadecimal maiúsculo.`);

  checkTree(fields, '', problems, pix.id);

  // Pix merchant account template.
  if (templates.length > 1) {
    problems.push(`há ${templates.length} blocos de conta Pix (campos ${templates.map((t) => t.id).join(', ')}); deve haver um.`);
  }
  const gui = findField(pixChildren, '00') as TlvField;
  if (gui.value !== PIX_GUI) problems.push(`GUI do campo ${pix.id} escrito "${gui.value}": o manual usa "${PIX_GUI}" (minúsculas).`);
  if (pixChildren[0] !== gui) problems.push(`GUI (${pix.id}-00) deve ser o primeiro subcampo do bloco da conta Pix.`);
  let hasRec = false;
  for (let i = 0; i < fields.length && !hasRec; i++) hasRec = isPixRecurrence(fields[i] as TlvField);
  if (d.pixKey !== null && d.url !== null) {
    problems.push(`campo ${pix.id} traz chave (01) e URL (25) juntas; deve haver exatamente uma.`);
  } else if (d.pixKey === null && d.url === null && !hasRec) {
    problems.push(`campo ${pix.id} não traz chave Pix (01) nem URL (25).`);
  }
  if (d.pixKey !== null && directoryKeyType(d.pixKey) === null) problems.push(keyProblem(pix.id, d.pixKey));
  if (d.url !== null && /^https?:\/\//i.test(d.url)) {
    problems.push(`URL (${pix.id}-25) inclui o protocolo: deve vir sem "https://".`);
  }
  if (d.description !== null) checkText(`descrição (${pix.id}-02)`, d.description, LIMITS.description, problems);

  // Mandatory root fields.
  const mcc = findField(fields, '52');
  if (!mcc) problems.push('campo 52 (categoria do recebedor, MCC) ausente: use "0000".');
  else if (mcc.length !== 4 || !isDigits(mcc.value)) problems.push(`campo 52 (MCC) "${mcc.value}" deve ter 4 dígitos.`);
  const cur = findField(fields, '53');
  if (!cur) problems.push('campo 53 (moeda) ausente: use "986" (real).');
  else if (cur.value !== '986') problems.push(`campo 53 (moeda) "${cur.value}" deveria ser "986" (real).`);
  const country = findField(fields, '58');
  if (!country) problems.push('campo 58 (país) ausente: use "BR".');
  else if (country.value !== 'BR') problems.push(`campo 58 (país) "${country.value}" deveria ser "BR".`);

  const amount = d.amount;
  if (amount !== null) {
    if (!isAmountFormat(amount)) problems.push(`valor (54) "${amount}" fora do formato: dígitos, ponto e 2 casas (ex.: 10.50).`);
    else if (/^0+\.00$/.test(amount)) problems.push(`valor (54) "${amount}": para valor livre o campo 54 deve ser omitido.`);
    if (amount.length > LIMITS.amount) problems.push(`valor (54) tem ${amount.length} caracteres; o máximo é ${LIMITS.amount}.`);
    if (d.url !== null) {
      problems.push('código dinâmico traz valor no campo 54: o valor vem do payload da URL (o manual pede omitir o 54).');
    }
  }

  checkText('nome do recebedor (59)', findField(fields, '59')?.value, LIMITS.name, problems);
  checkText('cidade (60)', findField(fields, '60')?.value, LIMITS.city, problems);
  if (d.postalCode !== null && (d.postalCode.length !== 8 || !isDigits(d.postalCode))) {
    problems.push(`CEP (61) "${d.postalCode}" deve ter 8 dígitos.`);
  }

  const additional = findField(fields, '62');
  if (!additional) problems.push('campo 62 (dados adicionais com o txid) ausente: use 62070503***.');
  else if (d.txid === null) problems.push('txid (62-05) ausente: use *** quando não houver identificador.');
  if (d.txid !== null) {
    if (!isTxidFormat(d.txid)) problems.push(`txid (62-05) "${d.txid}" fora do formato: use [A-Za-z0-9]{1,25} ou ***.`);
    if (d.url !== null && d.txid !== '***') {
      problems.push(`código dinâmico traz txid "${d.txid}" em 62-05: o manual pede *** (o txid vem do payload da URL).`);
    }
  }
  return problems;
}
