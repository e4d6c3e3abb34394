/** Input of a static Pix BR Code (key in the payload; amount optional). */
export interface StaticInput {
  key: string;
  name: string;
  city: string;
  /** "10.50", "10,50", "1.234,56", "10"; null/empty for an open amount (tag 54 omitted). */
  amount?: string | null;
  /** [A-Za-z0-9]{1,25}; null/empty for "***". */
  txid?: string | null;
  description?: string | null;
  postalCode?: string | null;
  /** Writes `01`="12" (single use). */
  singleUse?: boolean;
}

/** Input of a dynamic Pix BR Code (location URL from the PSP's `loc`; amount comes from the URL's JWS). */
export interface DynamicInput {
  /** Location, with or without the leading "https://" (it is never written). */
  url: string;
  name: string;
  city: string;
  postalCode?: string | null;
  singleUse?: boolean;
}

/** One TLV data object. `children` is set for templates whose value parsed as nested TLV. */
export interface TlvField {
  id: string;
  length: number;
  value: string;
  children?: TlvField[];
}

/** What a payload says, as written (no normalisation), with every spec violation listed in `problems`. */
export interface Decoded {
  pixKey: string | null;
  url: string | null;
  merchantName: string;
  merchantCity: string;
  postalCode: string | null;
  /** Tag 54 as written ("10.50"), null when absent (open amount). */
  amount: string | null;
  txid: string | null;
  description: string | null;
  singleUse: boolean;
  crc: string;
  mcc: string;
  currency: string;
  countryCode: string;
  /** Raw TLV tree; unknown fields kept. */
  fields: TlvField[];
  /** Spec violations in pt-BR, [] when none. */
  problems: string[];
}

/** The public view of a decoded payload: the keys of `pixdesk brcode decode --json`, in that order. */
export type BrCodeView = Pick<
  Decoded,
  'pixKey' | 'url' | 'merchantName' | 'merchantCity' | 'postalCode' | 'amount' | 'txid' | 'description' | 'singleUse' | 'crc' | 'problems'
>;

export type PixKeyType = 'cpf' | 'cnpj' | 'phone' | 'email' | 'evp';

export interface PixKey {
  type: PixKeyType;
  /** The key in DICT (directory) format. */
  key: string;
}

/** Limits of the BR Code manual used by the encoder and the validator. */
export const LIMITS = {
  name: 25,
  city: 15,
  description: 72,
  template: 99,
  amount: 13,
  txid: 25,
  email: 77,
  payload: 512,
} as const;

/** GUI of the Pix merchant account template, as the manual writes it. */
export const PIX_GUI = 'br.gov.bcb.pix';
/** GUI of the legacy additional-data template (62/50) Itaú still emits. */
export const LEGACY_GUI = 'BR.GOV.BCB.BRCODE';
