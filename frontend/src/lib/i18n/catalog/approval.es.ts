import type { approvalEn, approvalErrEn } from './approval.en';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

export const approvalEs: Same<typeof approvalEn> = {
  toggle: 'Necesita la aprobación del cliente',
  toggleHint: 'No se publica hasta que el cliente apruebe esta versión.',
  requiredByClient: '{client} aprueba cada publicación antes de que salga.',
  saveFirst: 'Guarda primero la publicación.',
  state: {
    waiting: 'Esperando aprobación',
    pending: 'Enviada para aprobar',
    approved: 'Aprobada por el cliente',
    changes: 'Cambios pedidos',
    changed: 'Cambiada desde la aprobación',
  },
  comment: 'Comentario del cliente: {comment}',
  filter: 'Esperando aprobación',
  clientSetting: 'Pedir aprobación antes de publicar',
  clientSettingHint: 'Ninguna publicación de este cliente sale sin que el cliente la apruebe.',
  outboxWaiting: 'Esperando la aprobación del cliente: no se publica antes.',
  menu: {
    export: 'Paquete de aprobación…',
    import: 'Importar respuesta de aprobación…',
  },
  export: {
    title: 'Paquete de aprobación',
    lead: 'Un archivo que el cliente abre en cualquier navegador, también en el móvil, sin internet: cada publicación del periodo, numerada, como se verá en cada red, en el idioma y la zona horaria del cliente. Al lado se guarda un PDF con las mismas publicaciones.',
    client: 'Cliente',
    from: 'Desde',
    to: 'Hasta',
    save: 'Guardar paquete…',
    saving: 'Guardando…',
    done: 'one:Paquete guardado con {count} publicación.|many:Paquete guardado con {count} de publicaciones.|other:Paquete guardado con {count} publicaciones.',
    files: 'HTML: {html} — PDF: {pdf}',
    pickClient: 'Elige un cliente.',
  },
  import: {
    title: 'Importar respuesta de aprobación',
    lead: 'Elige el archivo de respuesta que te devolvió el cliente o pega el texto de su correo.',
    file: 'Elegir el archivo de respuesta…',
    pasteLabel: 'O pega la respuesta',
    pasteHint: 'El texto de -----BEGIN PAUTA APPROVAL----- a -----END PAUTA APPROVAL-----',
    apply: 'Importar la respuesta pegada',
    importing: 'Importando…',
    done: '{client}: {approved} aprobadas, {changes} con cambios pedidos.',
    changed: 'one:{count} publicación se editó después de crear el paquete: aparece como «Cambiada desde la aprobación» y no queda aprobada.|many:{count} de publicaciones se editaron después de crear el paquete: aparecen como «Cambiada desde la aprobación» y no quedan aprobadas.|other:{count} publicaciones se editaron después de crear el paquete: aparecen como «Cambiada desde la aprobación» y no quedan aprobadas.',
  },
};

export const approvalErrEs: Same<typeof approvalErrEn> = {
  not_answer: 'Esto no es una respuesta de aprobación de Pauta. Elige el archivo que devolvió el cliente o pega el texto entre las líneas BEGIN y END.',
  tampered: 'Esta respuesta de aprobación está dañada o se cambió después de que el cliente la hiciera. No se ha importado nada. Pide al cliente que la envíe de nuevo.',
  other_workspace: 'Esta respuesta es de un paquete creado en otro espacio de trabajo de Pauta. No se ha importado nada.',
  other_client: 'Esta respuesta no es de {client}. No se ha importado nada.',
  unknown_package: 'Este espacio de trabajo nunca creó el paquete de esta respuesta. No se ha importado nada.',
  posts_deleted: 'Algunas publicaciones de esta respuesta se borraron después de crear el paquete (publicaciones {ids}). No se ha importado nada: restáuralas o crea un paquete nuevo.',
  empty: 'Esta respuesta no contiene ninguna decisión.',
  version: 'Esta respuesta la creó una versión más nueva de Pauta. Actualiza Pauta para importarla.',
  unreadable: 'Pauta no puede leer {name}.',
  unwritable: 'Pauta no puede escribir {path}. Elige una carpeta en la que puedas escribir.',
  period_invalid: 'El periodo termina antes de empezar.',
  period_too_long: 'Un paquete abarca como mucho tres meses.',
};
