// Composer: accounts picked per client and a first comment per account (issue 16 items 9–10).
export const composerAccountsEn = {
  all: 'All',
  none: 'None',
  same: 'Same first comment for all accounts',
  sameHint: 'Off: each account has its own (an Instagram hashtag comment does not go to LinkedIn or X).',
  forAccount: 'First comment · {network} {handle}',
  noComment: 'No first comment',
  add: 'Add account',
  addNetwork: 'Network',
  addHandle: 'Handle',
  addSave: 'Add',
  addCancel: 'Cancel',
};
