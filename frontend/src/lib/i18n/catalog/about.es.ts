import type { Catalog } from './types';

export const about: Catalog['about'] = {
  title: 'Acerca de Pauta',
  licences: 'Licencias de código abierto',
  licencesLead: 'Pauta está hecho con estas bibliotecas; sus licencias piden que estos avisos lo acompañen.',
  show: 'Ver las licencias',
  hide: 'Ocultar las licencias',
  loading: 'Cargando…',
  goModules: 'Módulos Go (la aplicación)',
  npmPackages: 'Paquetes npm (la interfaz)',
  unknownLicence: 'licencia: ver el texto',
};
