package io.jpm.launcher;

import com.sun.jna.Native;

/** The one libc call the JDK lacks: kill(2) with any signal, to a process or a process group. */
final class LibC {
  static {
    Native.register("c");
  }

  private LibC() {}

  static final int ESRCH = 3;

  static native int kill(int pid, int signal);

  static int errno() {
    return Native.getLastError();
  }
}
