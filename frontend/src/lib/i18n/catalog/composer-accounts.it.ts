// Composer: accounts picked per client and a first comment per account (issue 16 items 9–10).
export const composerAccountsIt = {
  all: 'Tutti',
  none: 'Nessuno',
  same: 'Stesso primo commento per tutti gli account',
  sameHint: 'Disattivato: ogni account ha il suo (un commento di hashtag di Instagram non va su LinkedIn né su X).',
  forAccount: 'Primo commento · {network} {handle}',
  noComment: 'Nessun primo commento',
  add: 'Aggiungi account',
  addNetwork: 'Rete',
  addHandle: 'Nome utente',
  addSave: 'Aggiungi',
  addCancel: 'Annulla',
};
