// El DateField y el TimeField (issue 16).
export const dateFieldEs = {
  dmy: 'dd/mm/aaaa',
  mdy: 'mm/dd/aaaa',
  ymd: 'aaaa-mm-dd',
  time: 'Hora',
  time24: 'hh:mm',
  time12: 'h:mm AM/PM',
  dateHint: 'Formato {pattern}. Las flechas arriba y abajo cambian el día; Re Pág y Av Pág, el mes.',
  timeHint: 'Formato {pattern}. Las flechas arriba y abajo cambian la hora; con Mayús, de 5 en 5 minutos.',
  badDate: 'No es una fecha: escríbela como {pattern}.',
  noSuchDay: 'Ese día no existe: {month} tiene {days} días.',
  badTime: 'No es una hora: escríbela como {pattern}.',
};
