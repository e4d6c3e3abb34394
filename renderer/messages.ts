/**
 * Every string the interface shows, in Brazilian Portuguese. Components never hard-code text: they read
 * it from here, so wording is reviewed in one place.
 */
export const messages = {
  appName: 'PixDesk',
  tagline: 'Pix pelo Itaú, direto no caixa',
  env: {
    sandbox: 'SANDBOX',
    production: 'PRODUÇÃO',
    sandboxHint: 'Ambiente de testes local: nenhum dinheiro real é movimentado.',
    productionHint: 'Ambiente de produção do Itaú: as cobranças são reais.',
  },
  nav: {
    accounts: 'Contas',
    charges: 'Cobranças',
    cashier: 'Caixa',
    apps: 'Apps de API',
    settings: 'Ajustes',
  },
  accounts: {
    title: 'Contas Itaú',
    subtitle: 'Contas correntes conectadas à API Pix do Itaú por certificado dinâmico.',
    emptyTitle: 'Nenhuma conta conectada ainda',
    emptyBody:
      'Para começar, arraste aqui o anexo "Credencial e Token.xlsx" que o Itaú enviou por e-mail. O PixDesk gera a chave e o certificado, e os renova sozinho. Sem contrato ainda? Use o sandbox local para testar.',
    emptyAction: 'Adicionar conta',
  },
  charges: {
    title: 'Cobranças',
    subtitle: 'Cobranças Pix criadas pelo caixa ou pelos sistemas parceiros.',
    emptyTitle: 'Nenhuma cobrança por enquanto',
    emptyBody: 'As cobranças aparecem aqui assim que o caixa ou um app de API criar a primeira. Conecte uma conta em "Contas" para gerar cobranças dinâmicas.',
  },
  cashier: {
    title: 'Caixa',
    subtitle: 'Mostre o QR Code ao cliente e acompanhe o pagamento.',
    emptyTitle: 'O caixa está pronto para começar',
    emptyBody: 'Digite o valor para gerar um QR Code. Cobranças dinâmicas precisam de uma conta conectada; o QR Code estático funciona offline com uma chave Pix.',
  },
  apps: {
    title: 'Apps de API',
    subtitle: 'Sistemas parceiros usam um AppID para criar e consultar cobranças pela API local do PixDesk.',
    emptyTitle: 'Nenhum app de API criado',
    emptyBody: 'Crie um app (nome e tipo) para gerar o AppID que o seu ERP, site ou PDV vai usar. O AppID é mostrado uma única vez.',
  },
  settings: {
    title: 'Ajustes',
    subtitle: 'Preferências desta instalação.',
    tillName: 'Nome do caixa',
    renewalWindowDays: 'Renovar certificados com antecedência de (dias)',
    save: 'Salvar',
    saved: 'Ajustes salvos.',
    profile: 'Pasta do perfil',
    keyBackend: 'Proteção das chaves',
    version: 'Versão',
    shell: 'Executando em',
    shellElectron: 'aplicativo de desktop',
    shellBrowser: 'navegador (modo quiosque)',
  },
  errors: {
    session: 'A sessão expirou. Abra de novo o endereço impresso pelo PixDesk ao iniciar.',
    offline: 'Não foi possível falar com o PixDesk. Verifique se ele continua em execução.',
    generic: 'Algo deu errado. Tente novamente.',
  },
  common: {
    loading: 'Carregando…',
    retry: 'Tentar de novo',
    cancel: 'Cancelar',
    confirm: 'Confirmar',
    close: 'Fechar',
  },
} as const;

export type Messages = typeof messages;
