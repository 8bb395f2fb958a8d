package io.jpm.config;

import java.util.List;

/**
 * Where an app was declared and how to read it again: the ecosystem file (null for the command
 * line), the folder of the command that read it (what its relative paths were resolved against;
 * null: the file's own folder), the {@code --env} name it was started with, and the apps it waits
 * for ({@code depends_on}), and the cluster's members that run it ({@code hosts}: node names or
 * {@code all}; empty for an app of this daemon alone). What hot reload, {@code --update-env} and the dump need to re-read an app
 * exactly as it was read.
 */
public record Origin(String file, String commandCwd, String envName, List<String> dependsOn, List<String> hosts) {
    public static final Origin COMMAND_LINE = new Origin(null, null, null, List.of(), List.of());

    public Origin {
        dependsOn = List.copyOf(dependsOn);
        hosts = List.copyOf(hosts);
    }

    /** A fleet app: the cluster's members named in {@code hosts} each run its instances (docs/CLUSTER.md). */
    public boolean fleet() {
        return !hosts.isEmpty();
    }
}
