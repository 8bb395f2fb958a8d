package io.jpm.protocol;

/**
 * Where a jpm JVM ends (the CLI, the daemon, the static server), and the exit codes it ends with,
 * listed once. Commands and verticles do not end the JVM: a command returns its code to the CLI's
 * {@code main}, which ends here. A few ends cannot go back to a {@code main}, and come here directly:
 * the daemon's main thread serves the first pump for the daemon's whole life (docs/ARCHITECTURE.md,
 * "Start-up"), so its ends (a failed start, {@code jpm kill}, an update, a hang) come from the thread
 * that decides them; a shutdown hook that sets the status halts. CodeRulesTest keeps every
 * {@code System.exit} and {@code Runtime.halt} in this class, and every call of this class in a
 * {@code main} method or in its list of the other ends, each with its reason.
 */
public final class ProcessEnd {
    /** The exit codes of jpm's JVMs. */
    public enum Code {
        /** Done; for the daemon, stopped on purpose. */
        OK(0),
        /** Any failure, with one line on stderr (pm2 exits 1 on every failure). */
        FAILURE(1),
        /** jpm-runtime once no app is online (pm2-runtime's {@code Runtime.exit(2)}). */
        NO_APP_LEFT(2),
        /** A build tool called without its operands. */
        USAGE(2),
        /** The daemon's hang watch ended it (daemon.HangWatch): its keeper starts the next, which adopts the apps. */
        HUNG(70);

        public final int status;

        Code(int status) {
            this.status = status;
        }
    }

    private ProcessEnd() {}

    /** Ends the JVM with its shutdown hooks run (the daemon's stops every app first). */
    public static void exit(int status) {
        System.exit(status);
    }

    /** {@link #exit(int)} with a listed code. */
    public static void exit(Code code) {
        exit(code.status);
    }

    /**
     * Ends the JVM at once, no shutdown hook run: a daemon that leaves its apps running for the next
     * one, a hung daemon, or a shutdown hook that sets the status itself.
     */
    public static void halt(int status) {
        Runtime.getRuntime().halt(status);
    }

    /** {@link #halt(int)} with a listed code. */
    public static void halt(Code code) {
        halt(code.status);
    }
}
