/** How often the parent's process id is compared, for a test process with no IPC channel to it. */
export const PARENT_POLL_MS = 250

/**
 * Tells `onGone` (once) when the process that started this one has ended: Vitest's main process,
 * for a test file run in a fork. Two signs, whichever comes first: the IPC channel to the parent
 * closes (`disconnect`, in a child started with one, as Vitest's `forks` pool does), or the parent
 * process id changes (the orphan was adopted by init or a subreaper), checked every
 * `PARENT_POLL_MS`. The timer is unref'd: it never keeps a process alive. Returns the function
 * that stops watching; call it when the run is over.
 */
export function watchParent(onGone: (reason: string) => void): () => void {
  const parentPid = process.ppid
  let watching = true
  let timer: ReturnType<typeof setInterval> | undefined
  function stop(): void {
    watching = false
    clearInterval(timer)
    process.off('disconnect', onDisconnect)
  }
  function gone(reason: string): void {
    if (!watching)
      return
    stop()
    onGone(reason)
  }
  function onDisconnect(): void {
    gone(`its IPC channel to the parent process ${parentPid} closed`)
  }
  timer = setInterval(() => {
    if (process.ppid !== parentPid)
      gone(`its parent process ${parentPid} has exited`)
  }, PARENT_POLL_MS)
  timer.unref()
  // only a process started with an IPC channel has one to lose ('disconnect' is emitted on the
  // main thread; in a worker thread `process.connected` is not set)
  if (process.connected)
    process.on('disconnect', onDisconnect)
  return stop
}
