// Month view (issue 16 item 6): the day popover and the multi-client filter. Its own file to keep merges small.
export const monthViewEn = {
  more: 'one:+{count} more|other:+{count} more',
  moreLabel: 'show all posts of {date}',
  popoverTitle: 'Posts on {date}',
  popoverHint: 'Arrow keys move between posts, Enter opens one, Escape closes.',
  close: 'Close',
  clients: 'Clients',
  clientsCount: 'one:{count} client|other:{count} clients',
  clientsLegend: 'Show only these clients',
  clientsAll: 'All clients',
  clientsHeader: 'one:Only {names}|other:{count} clients: {names}',
  clientsAndMore: 'one:{names} and {count} more|other:{names} and {count} more',
};
