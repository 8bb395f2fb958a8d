package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.StartRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What start and the startOr* verbs share: pm2's start flags read into a {@link StartRequest}. The
 * daemon validates the options; here only each flag's form is checked, so a typo is refused before
 * a round trip.
 */
final class StartRequests {
    private StartRequests() {}

    /** The words, with pm2's spaced {@code --stop-exit-codes 0 3} made one value first. */
    static Args parse(Syntax syntax, List<String> words) {
        return syntax.parse(spacedExitCodes(words));
    }

    /**
     * The request for one target: an ecosystem file, {@code -} (the apps come on stdin, one request
     * each: none here yet), or a script with the flags as its options.
     *
     * @param action what a file's running apps go through: {@link StartRequest#RESTART} or reload
     */
    static StartRequest request(Args args, String target, String action) throws IOException {
        List<String> only = args.has("only") ? List.of(args.get("only").split("[,\\s]+")) : List.of();
        int parallel = args.has("parallel") ? Parallel.instances(args.get("parallel")) : 0;
        List<Object> apps = new ArrayList<>();
        String file = null;
        if (StdinApps.TARGET.equals(target)) {
            // the apps come on stdin, one request each
        } else if (EcosystemFileKind.isEcosystemFile(target)) {
            file = target;
            if (!args.passthrough.isEmpty()) {
                throw CliException.usage("arguments after -- go with a script, not an ecosystem file");
            }
        } else {
            apps.add(StartOptions.appOptions(target, args));
        }
        // pm2's --watch (alone) with a file: every app that does not watch by itself watches its folder
        Map<String, Object> fileDefaults =
                file != null && "true".equals(args.get("watch")) ? Map.of("watch", true) : Map.of();
        return StartRequest.builder()
                .apps(apps)
                .file(file)
                .cwd(System.getProperty("user.dir"))
                .env(System.getenv())
                .force(args.has("force"))
                .only(only)
                .envName(args.get("env"))
                .action(action)
                .parallel(parallel)
                .strict(args.has("strict"))
                .fileDefaults(fileDefaults)
                .build();
    }

    /**
     * {@code [jpm] api (id 0) online}, a line per process the daemon started or restarted; before
     * them, on stderr, each warning reading the apps gave once ({@code [jpm] warning: ...}); after
     * them, on stderr, pm2's line for each that could not be launched, with the daemon's reason
     * ({@code [jpm][ERROR] Process failed to launch api (id 0): spawn failed: ...}).
     *
     * @return whether every one of them launched (none is errored)
     */
    static boolean printStarted(Json.Value started, Session session) {
        List<ProcessSummary> summaries = Session.summaries(started);
        summaries.stream()
                .flatMap(p -> p.warnings().stream())
                .distinct()
                .forEach(warning -> System.err.println("[jpm] warning: " + warning));
        for (ProcessSummary p : summaries) {
            session.out.println("[jpm] " + p.name() + " (id " + p.pmId() + ") " + p.status());
        }
        boolean launched = true;
        for (ProcessSummary p : summaries) {
            if (p.error() != null) {
                System.err.println(
                        "[jpm][ERROR] Process failed to launch " + p.name() + " (id " + p.pmId() + "): " + p.error());
                launched = false;
            }
        }
        return launched;
    }

    /**
     * The exit status of a start whose apps all launched, or not: 1 when one failed to launch, as
     * pm2 7.0.4's single-script start does (its source; its ecosystem-file start exits 0 then, which
     * hides the failure from a script: jpm exits 1 for both, docs/COMPAT.md).
     */
    static int exitStatus(boolean launched) {
        return launched ? 0 : 1;
    }

    /** pm2's {@code --stop-exit-codes 0 3}: the codes that follow the flag, as one list. */
    static List<String> spacedExitCodes(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            out.add(word);
            if (word.equals("--")) {
                out.addAll(words.subList(i + 1, words.size()));
                break;
            }
            if (word.equals("--stop-exit-codes") && i + 1 < words.size()) {
                StringBuilder codes = new StringBuilder(words.get(++i));
                while (i + 1 < words.size() && words.get(i + 1).matches("\\d+")) {
                    codes.append(',').append(words.get(++i));
                }
                out.add(codes.toString());
            }
        }
        return out;
    }
}
