package io.jpm.process;

import java.util.Locale;

/** POSIX signals by their Linux numbers; accepts "SIGUSR2", "usr2" and "12". */
public enum Signal {
    SIGHUP(1),
    SIGINT(2),
    SIGQUIT(3),
    SIGILL(4),
    SIGTRAP(5),
    SIGABRT(6),
    SIGBUS(7),
    SIGFPE(8),
    SIGKILL(9),
    SIGUSR1(10),
    SIGSEGV(11),
    SIGUSR2(12),
    SIGPIPE(13),
    SIGALRM(14),
    SIGTERM(15),
    SIGSTKFLT(16),
    SIGCHLD(17),
    SIGCONT(18),
    SIGSTOP(19),
    SIGTSTP(20),
    SIGTTIN(21),
    SIGTTOU(22),
    SIGURG(23),
    SIGXCPU(24),
    SIGXFSZ(25),
    SIGVTALRM(26),
    SIGPROF(27),
    SIGWINCH(28),
    SIGIO(29),
    SIGPWR(30),
    SIGSYS(31);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Parses a signal name or number; throws IllegalArgumentException naming the bad value. */
    public static Signal parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.matches("\\d{1,4}")) {
            int n = Integer.parseInt(t);
            for (Signal s : values()) {
                if (s.number == n) {
                    return s;
                }
            }
        } else if (!t.isEmpty() && !t.chars().allMatch(Character::isDigit)) {
            String name = t.startsWith("SIG") ? t : "SIG" + t;
            for (Signal s : values()) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown signal '" + text + "' (use a name like SIGTERM or a number)");
    }

    public static Signal ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        return null;
    }
}
