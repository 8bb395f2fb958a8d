package io.jpm.deploy;

/**
 * How one host came out of a deploy command: a row of the summary table.
 *
 * @param step the step that failed, or null when the host succeeded
 * @param detail what was done (the commit deployed, the answer of curr) or why it failed
 */
record HostResult(String host, String step, String detail) {
    static HostResult ok(String host, String detail) {
        return new HostResult(host, null, detail);
    }

    boolean succeeded() {
        return step == null;
    }
}
