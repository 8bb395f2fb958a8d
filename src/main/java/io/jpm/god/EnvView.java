package io.jpm.god;

import io.jpm.protocol.Access;

/** How much of an app's environment a listing shows: none (the ls table), names only (the read-only token), or values. */
enum EnvView {
    NONE,
    NAMES,
    VALUES;

    /**
     * @param withEnv false for {@code "env": false}
     * @param readOnly the query came with the read-only token
     * @param readOnlySeesEnv jpm.json's {@code access.read_only_sees_env}
     */
    static EnvView of(boolean withEnv, boolean readOnly, boolean readOnlySeesEnv) {
        return !withEnv ? NONE : readOnly && !readOnlySeesEnv ? NAMES : VALUES;
    }

    /** A variable's value as this view lists it; serve's password never. */
    Object shown(String name, Object value) {
        return this == NAMES || Access.NEVER_LISTED.contains(name) ? Access.REDACTED : value;
    }
}
