import type { monthViewEn } from './monthview.en';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

export const monthViewIt: Same<typeof monthViewEn> = {
  more: 'one:+{count} altro|many:+{count} altri|other:+{count} altri',
  moreLabel: 'mostra tutti i post del {date}',
  popoverTitle: 'Post del {date}',
  popoverHint: 'Le frecce passano da un post all’altro, Invio lo apre, Esc chiude.',
  close: 'Chiudi',
  clients: 'Clienti',
  clientsCount: 'one:{count} cliente|many:{count} clienti|other:{count} clienti',
  clientsLegend: 'Mostra solo questi clienti',
  clientsAll: 'Tutti i clienti',
  clientsHeader: 'one:Solo {names}|many:{count} clienti: {names}|other:{count} clienti: {names}',
  clientsAndMore: 'one:{names} e un altro|many:{names} e altri {count}|other:{names} e altri {count}',
};
