// Live pages refresh by polling: the task runs, then again `ms` after it finished (never two at
// once), until the page is left.

/** Runs task now and every ms after it ends; returns stop(). */
export function every(ms, task) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    if (stopped) {
      return;
    }
    try {
      await task();
    } catch (failure) {
      console.warn('refresh failed', failure);
    } finally {
      if (!stopped) {
        timer = setTimeout(run, ms);
      }
    }
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
