import { CsrError, parseCsr, signClientCertificate, type ParsedCsr } from './ca';
import { bearerToken, mediaType, route, sendJson, sendStsError, sendText, type Req, type Route, type SandboxContext } from './http';
import type { CertificateRecord } from './sts-store';

/*
 * Itaú's STS as documented for "certificado dinâmico": the temporary-token exchange of a CSR for a certificate and a
 * client secret, the client-credentials token endpoint over mTLS, and certificate renewal (v1 and v2).
 */

const NEW_TOKEN = 'Solicite um novo token temporário ao seu gerente Itaú.';

function csrBody(req: Req): string | null {
  if (mediaType(req.raw) !== 'text/plain') {
    sendStsError(req.res, 415, 'Content-Type inválido: envie o CSR como text/plain.', 'Use o header Content-Type: text/plain.');
    return null;
  }
  return req.body.toString('utf8');
}

function checkedCsr(req: Req, body: string, clientId: string): ParsedCsr | null {
  let parsed: ParsedCsr;
  try {
    parsed = parseCsr(body);
  } catch (e) {
    if (e instanceof CsrError) {
      sendStsError(req.res, e.status, e.message, e.acao);
      return null;
    }
    throw e;
  }
  if ((parsed.commonName ?? '').toLowerCase() !== clientId.toLowerCase()) {
    sendStsError(
      req.res,
      400,
      'CSR inválido: o CN do certificado deve ser igual ao Client ID.',
      'Gere o CSR com -subj "/CN=<CLIENT_ID>/…" usando o Client ID recebido do Itaú.',
    );
    return null;
  }
  return parsed;
}

/**
 * The certificate the request was made with, when it is one the sandbox issued, not revoked and within validity;
 * otherwise answers 403 C100 as Itaú does and returns null.
 */
export function requireClientCertificate(ctx: SandboxContext, req: Req, answer: (r: Req) => void): CertificateRecord | null {
  const cert = req.peerFingerprint ? ctx.state.sts.findCertificate(req.peerFingerprint) : null;
  const nowMs = ctx.state.now().getTime();
  if (!cert || cert.revokedMs !== null || nowMs < cert.notBeforeMs || nowMs > cert.notAfterMs) {
    answer(req);
    return null;
  }
  return cert;
}

const c100 = (req: Req) =>
  sendStsError(
    req.res,
    403,
    'Certificado de cliente ausente, inválido, revogado ou expirado.',
    'Envie o certificado emitido pelo STS na conexão (mTLS), ex.: curl --cert cert.pem --key key.pem.',
    'C100',
  );

async function solicitacao(ctx: SandboxContext, req: Req): Promise<void> {
  const token = bearerToken(req.raw);
  if (!token) return sendStsError(req.res, 401, 'Token não informado.', 'Envie o header Authorization: Bearer <token temporário>.');
  const check = ctx.state.sts.checkTemporaryToken(token);
  if (!check.ok || req.tokensExpired) {
    const reason = check.ok ? 'expired' : check.reason;
    const msg = { invalid: 'Token inválido.', expired: 'Token expirado.', used: 'Token já utilizado.' }[reason];
    return sendStsError(req.res, 401, msg, NEW_TOKEN);
  }
  const body = csrBody(req);
  if (body === null) return;
  const parsed = checkedCsr(req, body, check.clientId);
  if (!parsed) return;
  const cert = signClientCertificate(ctx.ca, parsed, ctx.state.now());
  const secret = ctx.state.sts.exchangeTemporaryToken(check.jti, check.clientId, cert, {
    name: parsed.ou,
    city: parsed.locality,
    uf: parsed.state,
  });
  if (secret === null) return sendStsError(req.res, 401, 'Token já utilizado.', NEW_TOKEN);
  sendText(req.res, 200, `Secret: ${secret}\n\n${cert.pem}`);
}

async function oauthToken(ctx: SandboxContext, req: Req): Promise<void> {
  const cert = requireClientCertificate(ctx, req, c100);
  if (!cert) return;
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return sendJson(req.res, 400, {
      error: 'unsupported_grant_type',
      mensagem: 'grant_type inválido: use client_credentials.',
      acao: 'Envie o corpo grant_type=client_credentials&client_id=…&client_secret=… (application/x-www-form-urlencoded).',
    });
  }
  const clientId = form.get('client_id') ?? '';
  const secret = form.get('client_secret') ?? '';
  if (!clientId || !secret) {
    return sendJson(req.res, 400, {
      error: 'invalid_request',
      mensagem: 'client_id e client_secret são obrigatórios no corpo.',
      acao: 'Envie client_id e client_secret no corpo do formulário (não em Basic auth).',
    });
  }
  if (clientId.toLowerCase() !== cert.clientId || !ctx.state.sts.checkSecret(cert.clientId, secret)) {
    return sendJson(req.res, 401, {
      error: 'invalid_client',
      mensagem: 'Credenciais inválidas: client_id ou client_secret não conferem com o certificado.',
      acao: 'Confira o Client ID e o Secret recebidos na emissão do certificado.',
    });
  }
  sendJson(req.res, 200, ctx.state.sts.issueAccessToken(cert.clientId));
}

function renovacao(version: 1 | 2) {
  return async (ctx: SandboxContext, req: Req): Promise<void> => {
    const cert = requireClientCertificate(ctx, req, c100);
    if (!cert) return;
    const token = bearerToken(req.raw);
    const check = token ? ctx.state.sts.verifyAccessToken(token) : null;
    if (!check || !check.ok || req.tokensExpired || check.clientId !== cert.clientId) {
      const expired = req.tokensExpired || (check && !check.ok && check.reason === 'expired');
      return sendStsError(
        req.res,
        401,
        expired ? 'Access token expirado.' : 'Access token ausente ou inválido.',
        'Obtenha um novo access token em /api/oauth/token com o certificado atual.',
      );
    }
    if (version === 2 && String(req.raw.headers['x-itau-force-cert'] ?? '').toLowerCase() !== 'true') {
      return sendStsError(req.res, 400, 'Header x-itau-force-cert ausente.', 'Envie x-itau-force-cert: true na renovação v2.');
    }
    const body = csrBody(req);
    if (body === null) return;
    const parsed = checkedCsr(req, body, cert.clientId);
    if (!parsed) return;
    const issued = signClientCertificate(ctx.ca, parsed, ctx.state.now());
    const secret = ctx.state.sts.recordRenewal(cert.clientId, issued, ctx.renewalSecret);
    sendText(req.res, 200, secret ? `Secret: ${secret}\n\n${issued.pem}` : issued.pem);
  };
}

/** STS routes (base = the server root, like https://sts.itau.com.br). */
export const stsRoutes: Route[] = [
  route('POST', '', '/seguranca/v1/certificado/solicitacao', 'sts', solicitacao),
  route('POST', '', '/api/oauth/token', 'sts', oauthToken),
  route('POST', '', '/seguranca/v1/certificado/renovacao', 'sts', renovacao(1)),
  route('POST', '', '/seguranca/v2/certificado/renovacao', 'sts', renovacao(2)),
];
