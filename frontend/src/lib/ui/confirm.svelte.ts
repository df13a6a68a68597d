// An in-app confirmation: window.confirm() answers "no" without showing
// anything in macOS web views, so destructive actions ask through this.
export interface ConfirmRequest {
  message: string;
  confirmLabel: string;
  danger: boolean;
  resolve: (ok: boolean) => void;
}

export const confirmState = $state<{ current: ConfirmRequest | null }>({ current: null });

export function askConfirm(message: string, confirmLabel: string, danger = true): Promise<boolean> {
  confirmState.current?.resolve(false);
  return new Promise((resolve) => {
    confirmState.current = {
      message,
      confirmLabel,
      danger,
      resolve: (ok) => {
        confirmState.current = null;
        resolve(ok);
      },
    };
  });
}
