import type { en } from './en';

/** Same tree as the English catalogue, with any string at the leaves. */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export type Catalog = Messages<typeof en>;

/** Every dotted path to a message, e.g. "calendar.today". */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Catalog>;
