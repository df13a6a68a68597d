import type { approvalEn, approvalErrEn } from './approval.en';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

export const approvalIt: Same<typeof approvalEn> = {
  toggle: 'Richiede l’approvazione del cliente',
  toggleHint: 'Non viene pubblicato finché il cliente non approva questa versione.',
  requiredByClient: '{client} approva ogni post prima della pubblicazione.',
  saveFirst: 'Salva prima il post.',
  state: {
    waiting: 'In attesa di approvazione',
    pending: 'Inviato per l’approvazione',
    approved: 'Approvato dal cliente',
    changes: 'Modifiche richieste',
    changed: 'Modificato dopo l’approvazione',
  },
  comment: 'Commento del cliente: {comment}',
  filter: 'In attesa di approvazione',
  clientSetting: 'Richiedi l’approvazione prima di pubblicare',
  clientSettingHint: 'Nessun post di questo cliente esce senza la sua approvazione.',
  outboxWaiting: 'In attesa dell’approvazione del cliente: non viene pubblicato prima.',
  menu: {
    export: 'Pacchetto di approvazione…',
    import: 'Importa risposta di approvazione…',
  },
  export: {
    title: 'Pacchetto di approvazione',
    lead: 'Un file che il cliente apre in qualsiasi browser, anche sul telefono, senza internet: ogni post del periodo, numerato, come apparirà su ogni rete, nella lingua e nel fuso orario del cliente. Accanto viene salvato un PDF con gli stessi post.',
    client: 'Cliente',
    from: 'Dal',
    to: 'Al',
    save: 'Salva pacchetto…',
    saving: 'Salvataggio…',
    done: 'one:Pacchetto salvato con {count} post.|many:Pacchetto salvato con {count} di post.|other:Pacchetto salvato con {count} post.',
    files: 'HTML: {html} — PDF: {pdf}',
    pickClient: 'Scegli un cliente.',
  },
  import: {
    title: 'Importa risposta di approvazione',
    lead: 'Scegli il file di risposta inviato dal cliente o incolla il testo della sua e-mail.',
    file: 'Scegli il file di risposta…',
    pasteLabel: 'Oppure incolla la risposta',
    pasteHint: 'Il testo da -----BEGIN PAUTA APPROVAL----- a -----END PAUTA APPROVAL-----',
    apply: 'Importa la risposta incollata',
    importing: 'Importazione…',
    done: '{client}: {approved} approvati, {changes} con modifiche richieste.',
    changed: 'one:{count} post è stato modificato dopo la creazione del pacchetto: appare come «Modificato dopo l’approvazione» e non è approvato.|many:{count} di post sono stati modificati dopo la creazione del pacchetto: appaiono come «Modificato dopo l’approvazione» e non sono approvati.|other:{count} post sono stati modificati dopo la creazione del pacchetto: appaiono come «Modificato dopo l’approvazione» e non sono approvati.',
  },
};

export const approvalErrIt: Same<typeof approvalErrEn> = {
  not_answer: 'Questa non è una risposta di approvazione di Pauta. Scegli il file inviato dal cliente o incolla il testo tra le righe BEGIN ed END.',
  tampered: 'Questa risposta di approvazione è danneggiata o è stata modificata dopo che il cliente l’ha creata. Non è stato importato nulla. Chiedi al cliente di inviarla di nuovo.',
  other_workspace: 'Questa risposta appartiene a un pacchetto creato in un altro spazio di lavoro di Pauta. Non è stato importato nulla.',
  other_client: 'Questa risposta non è di {client}. Non è stato importato nulla.',
  unknown_package: 'Questo spazio di lavoro non ha mai creato il pacchetto di questa risposta. Non è stato importato nulla.',
  posts_deleted: 'Alcuni post di questa risposta sono stati eliminati dopo la creazione del pacchetto (post {ids}). Non è stato importato nulla: ripristinali o crea un nuovo pacchetto.',
  empty: 'Questa risposta non contiene alcuna decisione.',
  version: 'Questa risposta è stata creata da una versione più recente di Pauta. Aggiorna Pauta per importarla.',
  unreadable: 'Pauta non riesce a leggere {name}.',
  unwritable: 'Pauta non riesce a scrivere {path}. Scegli una cartella in cui puoi scrivere.',
  period_invalid: 'Il periodo finisce prima di iniziare.',
  period_too_long: 'Un pacchetto copre al massimo tre mesi.',
};
