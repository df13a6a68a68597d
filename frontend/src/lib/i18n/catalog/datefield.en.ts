// The DateField and TimeField (issue 16): the pattern the user writes in, its
// hint and the inline errors.
export const dateFieldEn = {
  dmy: 'dd/mm/yyyy',
  mdy: 'mm/dd/yyyy',
  ymd: 'yyyy-mm-dd',
  time: 'Time',
  time24: 'hh:mm',
  time12: 'h:mm AM/PM',
  dateHint: 'Format {pattern}. Up and down arrows change the day, Page Up and Page Down the month.',
  timeHint: 'Format {pattern}. Up and down arrows change the hour, with Shift by 5 minutes.',
  badDate: 'This is not a date: write it as {pattern}.',
  noSuchDay: 'That day does not exist: {month} has {days} days.',
  badTime: 'This is not a time: write it as {pattern}.',
};
