// Settings → About: version, data folder, licence notices (issue 18).
export const about = {
  title: 'About Pauta',
  licences: 'Open-source licences',
  licencesLead: 'Pauta is built on these libraries; their licences ask for these notices to travel with it.',
  show: 'Show the licences',
  hide: 'Hide the licences',
  loading: 'Loading…',
  goModules: 'Go modules (the app)',
  npmPackages: 'npm packages (the interface)',
  unknownLicence: 'licence: see the text',
};
