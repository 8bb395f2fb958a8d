package io.jpm.deploy;

import io.jpm.protocol.EcosystemFileKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words after {@code jpm deploy}, read as pm2 reads them:
 * {@code [ecosystem file] <environment> [setup | update | revert [n] | curr | prev | list | exec <cmd> | ref <ref>] [--force]}.
 * The first word is the file when its name is an ecosystem file's (pm2's rule), else the
 * environment, and the file is found in the current folder. pm2-deploy ignores a word it does not
 * know and deploys the configured ref; jpm refuses it.
 *
 * @param file the ecosystem file as typed, or null to look for one
 * @param argument the ref of {@code ref}, the count of {@code revert}, the command of {@code exec}
 */
record DeployCommandLine(String file, String environment, Action action, String argument, boolean force) {
    enum Action {
        HELP,
        SETUP,
        UPDATE,
        REVERT,
        CURR,
        PREV,
        LIST,
        EXEC;

        /** The word as it reads in messages. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String USAGE = "usage: jpm deploy [ecosystem file] <environment> "
            + "[setup|update|revert [n]|curr|prev|list|exec <cmd>|ref <ref>] [--force]";

    static DeployCommandLine parse(List<String> words) {
        if (!words.isEmpty() && words.get(0).equals("help")) {
            return new DeployCommandLine(null, null, Action.HELP, null, false);
        }
        List<String> rest = new ArrayList<>();
        boolean force = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!rest.isEmpty()
                    && List.of("exec", "run").contains(rest.get(rest.size() - 1))
                    && isCommandPosition(rest)) {
                // everything after exec is the command, flags included, as pm2 passes "$@" on
                rest.addAll(words.subList(i, words.size()));
                break;
            }
            boolean afterRef = !rest.isEmpty() && rest.get(rest.size() - 1).equals("ref") && isCommandPosition(rest);
            if (word.equals("--force") || word.equals("-f") || word.equals("-F")) {
                force = true;
            } else if (afterRef && word.startsWith("-")) {
                DeployOptionsParser.checkedRef("deploy ref", word);
            } else if (word.startsWith("-") && !word.matches("-?\\d+")) {
                throw new DeployException("unknown option '" + word + "' for 'deploy' (" + USAGE + ")");
            } else {
                rest.add(word);
            }
        }
        String file = null;
        if (!rest.isEmpty() && EcosystemFileKind.isEcosystemFile(rest.get(0))) {
            file = rest.remove(0);
        }
        if (rest.isEmpty()) {
            throw new DeployException("name the environment to deploy to: " + USAGE);
        }
        String environment = rest.remove(0);
        return command(file, environment, rest, force);
    }

    /** exec's command starts right after the exec word that follows the environment. */
    private static boolean isCommandPosition(List<String> rest) {
        int envIndex = EcosystemFileKind.isEcosystemFile(rest.get(0)) ? 1 : 0;
        return rest.size() == envIndex + 2;
    }

    private static DeployCommandLine command(String file, String environment, List<String> rest, boolean force) {
        if (rest.isEmpty()) {
            return new DeployCommandLine(file, environment, Action.UPDATE, null, force);
        }
        String word = rest.get(0);
        List<String> args = rest.subList(1, rest.size());
        switch (word) {
            case "setup", "update", "curr", "current", "prev", "previous", "list" -> {
                if (!args.isEmpty()) {
                    throw new DeployException("deploy " + word + " takes no argument, got '" + args.get(0) + "'");
                }
                Action action =
                        switch (word) {
                            case "setup" -> Action.SETUP;
                            case "update" -> Action.UPDATE;
                            case "curr", "current" -> Action.CURR;
                            case "prev", "previous" -> Action.PREV;
                            default -> Action.LIST;
                        };
                return new DeployCommandLine(file, environment, action, null, force);
            }
            case "revert" -> {
                if (args.size() > 1) {
                    throw new DeployException("deploy revert takes one number, got '" + String.join(" ", args) + "'");
                }
                String n = args.isEmpty() ? "1" : args.get(0);
                if (!n.matches("\\d{1,6}") || Integer.parseInt(n) < 1) {
                    throw new DeployException(
                            "deploy revert expects how many deploys back (1 or more), got '" + n + "'");
                }
                return new DeployCommandLine(file, environment, Action.REVERT, n, force);
            }
            case "exec", "run" -> {
                String command = String.join(" ", args).strip();
                if (command.isEmpty()) {
                    throw new DeployException(
                            "deploy " + word + " needs the command to run on each host, e.g. exec \"jpm reload all\"");
                }
                return new DeployCommandLine(file, environment, Action.EXEC, command, force);
            }
            case "ref" -> {
                if (args.size() != 1 || args.get(0).isBlank()) {
                    throw new DeployException("deploy ref needs one ref to deploy, e.g. ref origin/main");
                }
                return new DeployCommandLine(
                        file,
                        environment,
                        Action.UPDATE,
                        DeployOptionsParser.checkedRef("deploy ref", args.get(0)),
                        force);
            }
            default -> throw new DeployException("unknown deploy command '" + word
                    + "' (setup, update, revert [n], curr, prev, list, exec <cmd>, ref <ref>)");
        }
    }
}
