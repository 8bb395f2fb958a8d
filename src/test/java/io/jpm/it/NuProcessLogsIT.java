package io.jpm.it;

/**
 * LogsIT again with JPM_LAUNCHER=nuprocess: the launcher a machine with glibc below 2.34 or musl
 * takes (docs/ARCHITECTURE.md, "Launcher"), tested as the default one is.
 */
@DaemonEnv(name = "JPM_LAUNCHER", value = "nuprocess")
@WithoutTuning
class NuProcessLogsIT extends LogsIT {}
