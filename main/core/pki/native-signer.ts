import crypto from 'node:crypto';
import forge from 'node-forge';

/**
 * A node-forge "private key" whose `sign(md)` performs the RSA private-key operation with Node's native
 * crypto. node-forge still assembles the ASN.1 (CSR or certificate), hashes it and stores the signature; only
 * the modular exponentiation — pure JavaScript in node-forge, tens of milliseconds per signature — runs natively.
 * The result is the standard RSASSA-PKCS1-v1_5 signature forge itself would produce.
 */
export interface ForgeSigner {
  sign(md: forge.md.MessageDigest): string;
}

/** Build a signer for a PEM private key (PKCS#1 or PKCS#8). */
export function nativeRsaSigner(privateKeyPem: string): ForgeSigner {
  const key = crypto.createPrivateKey(privateKeyPem);
  return {
    sign(md) {
      const oid = forge.pki.oids[md.algorithm];
      if (!oid) throw new Error(`unsupported digest ${md.algorithm}`);
      // DigestInfo ::= SEQUENCE { AlgorithmIdentifier { oid, NULL }, OCTET STRING digest } (RFC 8017 §9.2)
      const digestInfo = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
        forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
          forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(oid).getBytes()),
          forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''),
        ]),
        forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, md.digest().getBytes()),
      ]);
      const der = Buffer.from(forge.asn1.toDer(digestInfo).getBytes(), 'binary');
      return crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, der).toString('binary');
    },
  };
}
