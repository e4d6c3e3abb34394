/**
 * Limits and defaults of the contract, in one place both sides import: the zod schemas in main and the forms of
 * the renderer read the same numbers, so a field can say "no máximo 25 caracteres" before the request and the
 * dispatcher refuses exactly what the form would. Like ops.ts this file has no runtime dependency (the renderer
 * bundles it); keep it plain data and tiny pure functions.
 */

/** Longest text each field of the contract accepts (characters, after trimming). */
export const TEXT_LIMITS = {
  /** Account name shown in PixDesk. */
  accountName: 60,
  /** Company (certificate OU) and city (certificate L) typed at onboarding. */
  company: 64,
  city: 64,
  /** Name of this till, in Ajustes. */
  tillName: 40,
  /** Merchant name (BR Code tag 59) and city (tag 60) of static QR codes: the BR Code manual's limits. */
  merchantName: 25,
  merchantCity: 15,
  /** Merchant name or city as typed (and saved in Ajustes): longer text is cut to the QR's limits, visibly. */
  merchantTyped: 100,
  /** Description of a static QR (tag 26-02). */
  qrDescription: 72,
  /** A Pix key as typed (an e-mail key reaches 77 characters; masks and spaces add a few). */
  pixKey: 77,
  /** A Pix key as stored on an account (typed with punctuation). */
  accountPixKey: 100,
  /** Pix keys per account. */
  pixKeysPerAccount: 20,
  /** Client ID as pasted (a UUID plus whatever spaces or quotes came with it). */
  clientId: 100,
  /** A temporary token as pasted. */
  token: 20_000,
  /** A PEM CA certificate (the "certificado extra" of a TLS-inspecting proxy). */
  caPem: 20_000,
  /** An https URL override. */
  url: 300,
  /** A file name. */
  fileName: 255,
  /** Printer name for silent printing in Electron (Ajustes), as the operating system lists it. */
  printerName: 200,
} as const;

/** Shortest passphrase of an encrypted backup (Ajustes → Backup, pixdesk backup create). */
export const BACKUP_PASSPHRASE_MIN = 12;
/** Bytes of a backup file sent to main per `backup:upload` (base64 makes it 4/3 larger). */
export const BACKUP_UPLOAD_CHUNK = 3 * 1024 * 1024;

/** Days before expiry at which certificates renew (Ajustes). */
export const RENEWAL_WINDOW_DAYS = { min: 7, max: 90, default: 30 } as const;

/** Largest credential file accepted at all (an `.eml` with attachments may reach this). */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;
/** Largest workbook accepted (Itaú's is about 10 KB). */
export const MAX_WORKBOOK_BYTES = 5 * 1024 * 1024;
/** Base64 of {@link MAX_IMPORT_BYTES} plus padding: the longest `dataBase64` the contract takes. */
export const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 4;

/** Itaú's production endpoints (an account may override them). */
export const ITAU_STS_URL = 'https://sts.itau.com.br';
export const ITAU_PIX_URL = 'https://pix-pj.api.itau.com/regulatorio-pix/v2';

/** The 27 federative units of Brazil (the certificate's ST field). */
export const UFS: readonly { code: string; name: string }[] = [
  { code: 'AC', name: 'Acre' },
  { code: 'AL', name: 'Alagoas' },
  { code: 'AP', name: 'Amapá' },
  { code: 'AM', name: 'Amazonas' },
  { code: 'BA', name: 'Bahia' },
  { code: 'CE', name: 'Ceará' },
  { code: 'DF', name: 'Distrito Federal' },
  { code: 'ES', name: 'Espírito Santo' },
  { code: 'GO', name: 'Goiás' },
  { code: 'MA', name: 'Maranhão' },
  { code: 'MT', name: 'Mato Grosso' },
  { code: 'MS', name: 'Mato Grosso do Sul' },
  { code: 'MG', name: 'Minas Gerais' },
  { code: 'PA', name: 'Pará' },
  { code: 'PB', name: 'Paraíba' },
  { code: 'PR', name: 'Paraná' },
  { code: 'PE', name: 'Pernambuco' },
  { code: 'PI', name: 'Piauí' },
  { code: 'RJ', name: 'Rio de Janeiro' },
  { code: 'RN', name: 'Rio Grande do Norte' },
  { code: 'RS', name: 'Rio Grande do Sul' },
  { code: 'RO', name: 'Rondônia' },
  { code: 'RR', name: 'Roraima' },
  { code: 'SC', name: 'Santa Catarina' },
  { code: 'SP', name: 'São Paulo' },
  { code: 'SE', name: 'Sergipe' },
  { code: 'TO', name: 'Tocantins' },
];

/** The UF codes alone ("AC" … "TO"). */
export const UF_CODES: readonly string[] = UFS.map((u) => u.code);

/** True when `s` is one of the 27 UF codes (upper case). */
export function isUf(s: string): boolean {
  return UF_CODES.includes(s);
}

/** Shape of a PEM certificate block (the CA file check of the form and of the schema). */
export const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;

/** True when `u` parses as an https:// URL (the form's check and the schema's refinement). */
export function isHttpsUrl(u: string): boolean {
  try {
    return new URL(u).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * How large an error answer may grow: a validation failure lists at most `issues` issues, each message and path
 * cut to these lengths, so hostile input (300,000 unknown keys) answers a few kilobytes, not megabytes.
 */
export const ERROR_LIMITS = { issues: 20, message: 300, pathSegments: 8, pathSegment: 64, keysNamed: 5 } as const;
