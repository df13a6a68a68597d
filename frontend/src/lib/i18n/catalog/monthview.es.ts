import type { monthViewEn } from './monthview.en';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

export const monthViewEs: Same<typeof monthViewEn> = {
  more: 'one:+{count} más|many:+{count} más|other:+{count} más',
  moreLabel: 'ver todas las publicaciones del {date}',
  popoverTitle: 'Publicaciones del {date}',
  popoverHint: 'Las flechas pasan de una publicación a otra, Intro la abre y Escape cierra.',
  close: 'Cerrar',
  clients: 'Clientes',
  clientsCount: 'one:{count} cliente|many:{count} clientes|other:{count} clientes',
  clientsLegend: 'Mostrar solo estos clientes',
  clientsAll: 'Todos los clientes',
  clientsHeader: 'one:Solo {names}|many:{count} clientes: {names}|other:{count} clientes: {names}',
  clientsAndMore: 'one:{names} y {count} más|many:{names} y {count} más|other:{names} y {count} más',
};
