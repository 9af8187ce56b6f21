/**
 * The VS Code progress notification for a request, shown only when the request is still running after
 * TOAST_AFTER_MS (the panel shows its own progress from the first moment: elapsed time and Cancel); it closes
 * when the request ends, and its Cancel cancels the request.
 */
import * as vscode from 'vscode';

/** A request still running after this long gets a cancellable notification too. */
export const TOAST_AFTER_MS = 1000;

export async function withDelayedProgress<T>(title: string, work: () => Promise<T>, cancel: () => void, onToast: () => void = () => undefined, delayMs = TOAST_AFTER_MS): Promise<T> {
  let done = false;
  const running = work();
  const settled = running.then(
    () => void (done = true),
    () => void (done = true),
  );
  const timer = setTimeout(() => {
    if (done) return;
    onToast();
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
      token.onCancellationRequested(cancel);
      return settled;
    });
  }, delayMs);
  try {
    return await running;
  } finally {
    clearTimeout(timer);
  }
}

