package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc calls the JDK lacks: kill(2) with any signal, to a process or a process group,
 * pthread_sigmask(3) to give children an empty signal mask, fcntl(2) to size a child's pipe, and
 * the pipes, reads, writes and waits of {@link PosixSpawnLauncher} (epoll's own in {@link Epoll}).
 */
final class LibC {
    /**
     * glibc's libc by its soname: JNA finds a bare "c" by running `ldconfig -p`, a process (and the
     * JDK's reaper thread for a minute) at every daemon start; "c" where no libc.so.6 is (not glibc).
     */
    static final String NAME = libcName();

    static {
        Native.register(LibC.class, NAME);
    }

    private static String libcName() {
        try {
            NativeLibrary.getInstance("libc.so.6");
            return "libc.so.6";
        } catch (UnsatisfiedLinkError e) {
            return "c";
        }
    }

    private LibC() {}

    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENOEXEC = 8;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EPIPE = 32;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int F_SETFD = 2;
    static final int FD_CLOEXEC = 1;
    /** pidfd_open(2)'s number: new system calls have one number on every architecture. */
    private static final long SYS_PIDFD_OPEN = 434;
    /** pidfd_send_signal(2)'s number. */
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;

    static native int kill(int pid, int signal);

    static native int pthread_sigmask(int how, Pointer set, Pointer oldSet);

    /** setpriority(2): with PRIO_PROCESS and who 0, Linux sets the calling thread's nice value alone. */
    static native int setpriority(int which, int who, int prio);

    /** fcntl(2) with an int argument (F_SETPIPE_SZ, F_GETFL, F_SETFL). */
    static native int fcntl(int fd, int cmd, int arg);

    /** read(2) into a Java array (JNA copies it back). */
    static native long read(int fd, byte[] buffer, long count);

    /** read(2) into native memory (a direct buffer's). */
    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, Pointer buffer, long count);

    static native long write(int fd, byte[] buffer, long count);

    static native int close(int fd);

    static native int pipe2(int[] fds, int flags);

    static native int waitpid(int pid, int[] status, int options);

    // sockets: the shared listening sockets of socket mode ({@link ListeningSockets}) and Node's IPC
    // pipe ({@link NodeIpcChannel}), which the JDK cannot hand to a child or send a descriptor over

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, int[] value, int length);

    static native int bind(int fd, Pointer address, int length);

    /**
     * On a Unix socket before its bind: the mode its file gets, whatever the umask (Linux gives the file
     * the socket's own mode less the umask; 0600 less any umask is 0600 or less).
     */
    static native int fchmod(int fd, int mode);

    /** A Unix socket's file: the owner may connect, nobody else (see {@link #fchmod}). */
    static final int OWNER_ONLY_SOCKET = 0600;

    static native int listen(int fd, int backlog);

    static native int getsockname(int fd, Pointer address, int[] length);

    static native int socketpair(int domain, int type, int protocol, int[] fds);

    static native int accept4(int fd, Pointer address, Pointer length, int flags);

    static native long send(int fd, Pointer buffer, long count, int flags);

    static native long sendmsg(int fd, Pointer message, int flags);

    static native long syscall(long number, int a, int b);

    static native long syscall(long number, int a, int b, Pointer c, int d);

    static native String strerror(int errno);

    /** execve(2): this process runs another program, keeping its pid, children and open descriptors. */
    static native int execve(String path, Pointer argv, Pointer envp);

    /** close_range(2)'s number, one on every architecture (Linux 5.9; CLOSE_RANGE_CLOEXEC from 5.11). */
    private static final long SYS_CLOSE_RANGE = 436;

    static final int CLOSE_RANGE_CLOEXEC = 4;

    static native long syscall(long number, int a, int b, int c);

    /** Marks every descriptor from {@code first} on close-on-exec: 0, or -1 and errno. */
    static int closeRangeOnExec(int first) {
        return (int) syscall(SYS_CLOSE_RANGE, first, -1, CLOSE_RANGE_CLOEXEC);
    }

    // the output journal ({@link OutputJournal}): a memory file per stream that the pipe is spliced into

    static final int MFD_CLOEXEC = 1;
    static final int SPLICE_F_NONBLOCK = 2;
    static final int SEEK_SET = 0;
    static final int SEEK_CUR = 1;
    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int FALLOC_FL_PUNCH_HOLE = 2;

    static native int memfd_create(String name, int flags);

    /** splice(2) with both offsets null: from a pipe to a file at (and moving) the file's position. */
    static native long splice(int in, Pointer inOffset, int out, Pointer outOffset, long count, int flags);

    static native long pread(int fd, Pointer buffer, long count, long offset);

    static native long pread(int fd, byte[] buffer, long count, long offset);

    static native long pwrite(int fd, byte[] buffer, long count, long offset);

    static native long lseek(int fd, long offset, int whence);

    static native int fallocate(int fd, int mode, long offset, long length);

    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;

    /** eventfd(2): how a pump's loop is woken for work handed to it ({@link PipePump#run}). */
    static native int eventfd(int initial, int flags);

    static final int CLOCK_MONOTONIC = 1;
    static final int TFD_NONBLOCK = 04000;
    static final int TFD_CLOEXEC = 02000000;

    /** timerfd_create(2): a clock a pump's epoll waits on ({@link ConnectionDealer}'s beat). */
    static native int timerfd_create(int clock, int flags);

    /** timerfd_settime(2); {@code spec} is a struct itimerspec (four longs on 64-bit Linux). */
    static native int timerfd_settime(int fd, int flags, Pointer spec, Pointer old);

    /** inotify(7): a folder's changes, read on a pump ({@link DirectoryEvents}). */
    static native int inotify_init1(int flags);

    static native int inotify_add_watch(int fd, String path, int mask);

    /** A descriptor that becomes readable when {@code pid} exits (Linux 5.3+), or -1. */
    static int pidfdOpen(int pid) {
        return (int) syscall(SYS_PIDFD_OPEN, pid, 0);
    }

    /** Sends {@code signal} to the process behind {@code pidfd}, which a reused pid cannot be: 0, or -1 and errno. */
    static int pidfdSendSignal(int pidfd, int signal) {
        return (int) syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, null, 0);
    }

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
