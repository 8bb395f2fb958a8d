package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.StartRequest;
import java.io.IOException;
import java.util.List;

/**
 * pm2's {@code startOrRestart}, {@code startOrReload} and {@code startOrGracefulReload <file>}, and
 * restart or reload of a file: the file's apps that run are restarted (or reloaded) with the file's
 * options and env, the others start. The three verbs differ only in what a running app goes
 * through, so they are one class with that as its field.
 */
public final class FileStartCommand extends ParsedCommand {
    /** {@link StartRequest#RESTART} or {@link StartRequest#RELOAD}. */
    private final String action;

    private FileStartCommand(String verb, String action) {
        super(Syntax.of(verb)
                .operands("<ecosystem file>", 1, 1)
                .summary(action + " the file's apps that run, with its options and env; start the others")
                .flags(StartFlags.TABLE));
        this.action = action;
    }

    public static FileStartCommand startOrRestart() {
        return of("startOrRestart", StartRequest.RESTART);
    }

    /** restart or reload of files, whose errors name the verb the user typed. */
    static FileStartCommand of(String verb, String action) {
        return new FileStartCommand(verb, action);
    }

    public static FileStartCommand startOrReload() {
        return of("startOrReload", StartRequest.RELOAD);
    }

    /** pm2 7's graceful reload is its reload. */
    public static FileStartCommand startOrGracefulReload() {
        return of("startOrGracefulReload", StartRequest.RELOAD);
    }

    @Override
    public int run(List<String> words, Session session) throws IOException {
        return run(StartRequests.parse(syntax(), words), session);
    }

    @Override
    int run(Args args, Session session) throws IOException {
        String file = args.positionals.get(0);
        if (!EcosystemFileKind.isEcosystemFile(file)) {
            throw CliException.usage(
                    syntax().verb() + " takes an ecosystem file (.json, .yml, .yaml, .config.js, .config.cjs,"
                            + " .config.mjs), got '" + file + "'");
        }
        TraceSetup.prepare(args, List.of(file), session);
        Json.Value started = session.request(
                Addresses.CMD_START, StartRequests.request(args, file, action).toMap());
        boolean launched = StartRequests.printStarted(started, session);
        if (launched && syntax().verb().startsWith("start")) { // startOrRestart, startOrReload: not restart of a file
            HotReloadNote.print(file, session);
        }
        session.printTable(Session.names(started));
        if (!launched) {
            return StartRequests.exitStatus(false);
        }
        return args.has("attach") ? AttachLogs.follow(started, session) : 0;
    }
}
