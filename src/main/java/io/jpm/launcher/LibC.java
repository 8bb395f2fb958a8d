package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls the JDK lacks: kill(2) with any signal, to a process or a process group,
 * pthread_sigmask(3) to give children an empty signal mask, and fcntl(2) to size a child's pipe.
 */
final class LibC {
  static {
    Native.register("c");
  }

  private LibC() {}

  static final int ESRCH = 3;

  static native int kill(int pid, int signal);

  static native int pthread_sigmask(int how, Pointer set, Pointer oldSet);

  /** fcntl(2) with an int argument (F_SETPIPE_SZ, F_GETFL, F_SETFL). */
  static native int fcntl(int fd, int cmd, int arg);

  /** read(2) into a Java array (JNA copies it back). */
  static native long read(int fd, byte[] buffer, long count);

  private static final int SIG_UNBLOCK = 1;
  private static final int SIG_SETMASK = 2;
  /** glibc's sigset_t is 1024 bits. */
  private static final int SIGSET_BYTES = 128;

  /**
   * Runs {@code action} with no signal blocked on the calling thread. A spawned child inherits the
   * spawning thread's mask, and HotSpot blocks SIGQUIT in Java threads: without this, every app
   * would start with SIGQUIT blocked.
   */
  static <T, E extends Exception> T withEmptySignalMask(ThrowingSupplier<T, E> action) throws E {
    Memory all = new Memory(SIGSET_BYTES);
    all.setMemory(0, SIGSET_BYTES, (byte) 0xff);
    Memory old = new Memory(SIGSET_BYTES);
    pthread_sigmask(SIG_UNBLOCK, all, old);
    try {
      return action.get();
    } finally {
      pthread_sigmask(SIG_SETMASK, old, null);
    }
  }

  /** A supplier that may throw. */
  interface ThrowingSupplier<T, E extends Exception> {
    T get() throws E;
  }

  static int errno() {
    return Native.getLastError();
  }
}
