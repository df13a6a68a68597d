// The date fields show dates as the user writes them (issue 16): dd/mm/yyyy
// in es, it and en-GB (the suite's locale). An ISO date as they show it:
export function dmy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
