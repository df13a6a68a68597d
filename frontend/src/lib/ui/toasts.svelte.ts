// Short messages in the corner: saved, moved because of a DST change, failed.
export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  detail?: string; // the raw technical message, as a tooltip
}

let nextId = 1;

export const toasts = $state<{ list: Toast[] }>({ list: [] });

export function dismiss(id: number): void {
  toasts.list = toasts.list.filter((t) => t.id !== id);
}

export function toast(text: string, kind: ToastKind = 'info', opts: { detail?: string; timeout?: number } = {}): void {
  const id = nextId++;
  toasts.list = [...toasts.list.slice(-3), { id, kind, text, detail: opts.detail }];
  const timeout = opts.timeout ?? (kind === 'error' || kind === 'warning' ? 10_000 : 5_000);
  setTimeout(() => dismiss(id), timeout);
}
