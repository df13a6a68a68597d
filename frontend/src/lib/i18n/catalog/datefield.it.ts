// Il DateField e il TimeField (issue 16).
export const dateFieldIt = {
  dmy: 'gg/mm/aaaa',
  mdy: 'mm/gg/aaaa',
  ymd: 'aaaa-mm-gg',
  time: 'Ora',
  time24: 'hh:mm',
  time12: 'h:mm AM/PM',
  dateHint: 'Formato {pattern}. Le frecce su e giù cambiano il giorno; Pag su e Pag giù, il mese.',
  timeHint: 'Formato {pattern}. Le frecce su e giù cambiano l’ora; con Maiusc, di 5 minuti.',
  badDate: 'Non è una data: scrivila come {pattern}.',
  noSuchDay: 'Quel giorno non esiste: {month} ha {days} giorni.',
  badTime: 'Non è un orario: scrivilo come {pattern}.',
};
