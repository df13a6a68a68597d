import type { Catalog } from './types';

export const about: Catalog['about'] = {
  title: 'Informazioni su Pauta',
  licences: 'Licenze open source',
  licencesLead: 'Pauta è costruito con queste librerie; le loro licenze chiedono che questi avvisi lo accompagnino.',
  show: 'Mostra le licenze',
  hide: 'Nascondi le licenze',
  loading: 'Caricamento…',
  goModules: 'Moduli Go (l’app)',
  npmPackages: 'Pacchetti npm (l’interfaccia)',
  unknownLicence: 'licenza: vedi il testo',
};
