// Composer: accounts picked per client and a first comment per account (issue 16 items 9–10).
export const composerAccountsEs = {
  all: 'Todas',
  none: 'Ninguna',
  same: 'Mismo primer comentario para todas las cuentas',
  sameHint: 'Desactivado: cada cuenta tiene el suyo (un comentario de hashtags de Instagram no va a LinkedIn ni a X).',
  forAccount: 'Primer comentario · {network} {handle}',
  noComment: 'Sin primer comentario',
  add: 'Añadir cuenta',
  addNetwork: 'Red',
  addHandle: 'Usuario',
  addSave: 'Añadir',
  addCancel: 'Cancelar',
};
