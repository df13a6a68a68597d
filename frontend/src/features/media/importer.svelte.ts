// One import at a time per panel: progress from media:progress, then a
// summary toast and the failed files listed with their translated reasons.
import { mediaApi, onMediaProgress, type ImportReport } from '../../lib/api';
import { errorText, t } from '../../lib/i18n/index.svelte';
import { toast } from '../../lib/ui/toasts.svelte';

export interface ImportFailure {
  name: string;
  reason: string;
}

export class Importer {
  busy = $state(false);
  done = $state(0);
  total = $state(0);
  file = $state('');
  failures = $state<ImportFailure[]>([]);

  /** paths null: the native dialog. Resolves with the report (null on error or cancel). */
  async run(clientId: number, paths: string[] | null): Promise<ImportReport | null> {
    if (this.busy || !clientId) return null;
    this.busy = true;
    this.done = 0;
    this.total = paths?.length ?? 0;
    this.file = '';
    const off = onMediaProgress((p) => {
      if (p.clientId !== clientId) return;
      this.done = p.done;
      this.total = p.total;
      this.file = p.file;
    });
    try {
      const rep = paths ? await mediaApi.importFiles(clientId, paths) : await mediaApi.importDialog(clientId);
      this.failures = rep.results
        .filter((r) => r.status === 'error')
        .map((r) => ({ name: r.name, reason: errorText(r.error ?? { code: 'internal' }) }));
      if (rep.results.length > 0) {
        const kind = rep.failed > 0 ? 'warning' : 'success';
        toast(t('media.importSummary', { imported: rep.imported, duplicates: rep.duplicates, failed: rep.failed }), kind);
      }
      return rep.results.length > 0 ? rep : null;
    } catch (e) {
      toast(errorText(e), 'error', { detail: (e as Error).message });
      return null;
    } finally {
      off();
      this.busy = false;
    }
  }
}
