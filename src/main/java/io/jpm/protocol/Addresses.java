package io.jpm.protocol;

/**
 * Every event-bus address jpm uses, with the direction and the message shapes. This is the public
 * contract documented in docs/PROTOCOL.md: {@code jpm.cmd.*} and {@code jpm.query.*} are
 * request/reply and may be sent through the bridge, {@code jpm.events.*} are published and may be
 * registered through the bridge, {@code jpm.internal.*} never crosses the bridge.
 *
 * <p>Every reply body is {@code verticle.Reply#ok} ({@code {"ok":true,"data":...}}); a failure is
 * {@code message.fail(JpmError.code, text)}.
 *
 * <p>A client address ({@code jpm.cmd.*}, {@code jpm.query.*}, {@code jpm.events.*}) has one line here, its direction
 * and shapes; its full description, for the people who write clients, is docs/PROTOCOL.md's section 6
 * (AddressesDocumentedTest ties the two, and the schema's, docs/bridge-messages.schema.json). The internal ones
 * are described here. Every address jpm uses is a constant here (no literal elsewhere).
 */
public final class Addresses {
    private Addresses() {}

    /** Prefix of the addresses that change state; admin token only. */
    public static final String CMD_PREFIX = "jpm.cmd.";
    /** Prefix of the read-only request/reply addresses. */
    public static final String QUERY_PREFIX = "jpm.query.";
    /** Prefix of the published addresses external services may register for. */
    public static final String EVENTS_PREFIX = "jpm.events.";

    /** send {@link StartRequest}; reply: array of started/restarted process summaries. */
    public static final String CMD_START = "jpm.cmd.start";
    /** send {@link TargetRequest}; reply: array of process summaries now stopped. */
    public static final String CMD_STOP = "jpm.cmd.stop";
    /** send {@link TargetRequest}; reply: array of process summaries restarted. */
    public static final String CMD_RESTART = "jpm.cmd.restart";
    /** send {@link TargetRequest}; reply: as restart (fork mode: reload = restart, like pm2). */
    public static final String CMD_RELOAD = "jpm.cmd.reload";
    /** send {@link TargetRequest}; reply: array of process summaries deleted. */
    public static final String CMD_DELETE = "jpm.cmd.delete";
    /** send {@link TargetRequest}; reply: array of summaries whose counters were reset. */
    public static final String CMD_RESET = "jpm.cmd.reset";
    /** send {@link TargetRequest}; reply: array of summaries now marked monitored (pm2_env._km_monitored). */
    public static final String CMD_MONITOR = "jpm.cmd.monitor";
    /** send {@link TargetRequest}; reply: array of summaries now marked unmonitored (_km_monitored false). */
    public static final String CMD_UNMONITOR = "jpm.cmd.unmonitor";
    /** send {@link SignalRequest}; reply: array of summaries signalled. */
    public static final String CMD_SIGNAL = "jpm.cmd.signal";
    /** send {@link StdinRequest}; reply [summary] once the bytes are queued for its stdin. */
    public static final String CMD_STDIN = "jpm.cmd.stdin";
    /** send {"pm_id","packet"} (pm2's sendDataToProcessId); reply [summary] once written to the app's IPC channel. */
    public static final String CMD_SEND_DATA = "jpm.cmd.sendData";
    /** send {"target","action","params"} (pm2's trigger); reply {"sent","replies","missing"}. */
    public static final String CMD_TRIGGER = "jpm.cmd.trigger";
    /** send {@link TargetRequest} (no targets = all); reply: array of the log files truncated. */
    public static final String CMD_FLUSH = "jpm.cmd.flush";
    /** send {} ; reply {"reopened":N}: every open log file is closed and reopened on its next line. */
    public static final String CMD_RELOAD_LOGS = "jpm.cmd.reloadLogs";
    /** send {@link ScaleRequest}; reply: array of summaries of the instances started or removed. */
    public static final String CMD_SCALE = "jpm.cmd.scale";
    /** send {} ; reply {"stopped":N} once every app is stopped; then the daemon exits. */
    public static final String CMD_KILL = "jpm.cmd.kill";

    /**
     * Prefix of the per-host addresses of a cluster (docs/CLUSTER.md): {@code jpm.host.<node>.cmd.<verb>}
     * and {@code jpm.host.<node>.query.<name>} carry the same request and reply as {@code jpm.cmd.<verb>}
     * and {@code jpm.query.<name>}, served by host {@code <node>}'s daemon wherever the sender is. Only
     * a clustered daemon serves them; see {@link #onHost}.
     */
    public static final String HOST_PREFIX = "jpm.host.";
    /** send {} or as {@link #QUERY_LIST} to a clustered daemon; reply {"processes":[..],"hosts":[..]}, every host's list. */
    public static final String QUERY_CLUSTER_LIST = "jpm.query.clusterList";
    /** send {} to a clustered daemon; reply {"name","node","members":[{"node","status"}]}. */
    public static final String QUERY_CLUSTER = "jpm.query.cluster";
    /** send {}; reply this host's totals (cpu, memory, load, disk, apps by state), read when asked. */
    public static final String QUERY_HOST = "jpm.query.host";
    /** send {} to a clustered daemon; reply {"cluster","hosts":[..]}, every host's {@link #QUERY_HOST} at once. */
    public static final String QUERY_CLUSTER_HOSTS = "jpm.query.clusterHosts";
    /** send {"node"} to a clustered daemon; reply {"node"}: a host that left dropped from every member's list. */
    public static final String CMD_CLUSTER_FORGET = "jpm.cmd.clusterForget";

    /** The node of a per-host address ({@code web-2} of {@code jpm.host.web-2.events.log}); null for others. */
    public static String hostOf(String address) {
        int dot = address.startsWith(HOST_PREFIX) ? address.indexOf('.', HOST_PREFIX.length()) : -1;
        return dot < 0 ? null : address.substring(HOST_PREFIX.length(), dot);
    }

    /** The local address a per-host one stands for ({@code jpm.events.log}); any other as it is. */
    public static String localOf(String address) {
        String node = hostOf(address);
        return node == null ? address : "jpm." + address.substring(HOST_PREFIX.length() + node.length() + 1);
    }

    /** The address of {@code address} ({@code jpm.cmd.*}, {@code jpm.query.*}, {@code jpm.events.*}) on host {@code node}. */
    public static String onHost(String node, String address) {
        return HOST_PREFIX + node + "." + address.substring("jpm.".length());
    }

    /** Whether {@code address} changes state: {@code jpm.cmd.*} here or on a host of the cluster. */
    public static boolean isCommand(String address) {
        if (address.startsWith(CMD_PREFIX)) {
            return true;
        }
        if (!address.startsWith(HOST_PREFIX)) {
            return false;
        }
        int dot = address.indexOf('.', HOST_PREFIX.length());
        return dot > 0 && address.startsWith("cmd.", dot + 1);
    }

    /** send {"force":false}; reply {"file":..,"apps":N}: the app list written to JPM_HOME/dump.json. */
    public static final String CMD_SAVE = "jpm.cmd.save";
    /** send {}; reply {"started":[summaries],"skipped":[names],"from":"dump.json|dump.json.bak","errors":[..]}. */
    public static final String CMD_RESURRECT = "jpm.cmd.resurrect";
    /** send {"key","value"} or {"pairs":[..]} (pm2's set/unset/multiset, jpm.json or module_conf.json); reply {"file","key","value","settings","notes"}. */
    public static final String CMD_SET = "jpm.cmd.set";
    /** send {} or {"script","command"}; reply {"file","apps","processes",..}: what runs, in handover.json for the next daemon. */
    public static final String CMD_UPDATE = "jpm.cmd.update";
    /** send {}; reply {"file":..,"apps":0}: JPM_HOME/dump.json now holds an empty list (pm2's cleardump). */
    public static final String CMD_CLEARDUMP = "jpm.cmd.cleardump";

    /** send {} or {"env":false}; reply: array of process descriptions (pm2 jlist shape), env left empty with "env":false. */
    public static final String QUERY_LIST = "jpm.query.list";
    /** send {@link TargetRequest}; reply: array of process descriptions of the targets. */
    public static final String QUERY_DESCRIBE = "jpm.query.describe";
    /** send {}; reply {"notes":[..]}: what this daemon's own supervision did that {@code jpm ls} prints. */
    public static final String QUERY_SUPERVISION = "jpm.query.supervision";
    /** send {"note":".."} from persistence: a line for {@link #QUERY_SUPERVISION}. */
    public static final String INTERNAL_SUPERVISION_NOTE = "jpm.internal.supervision.note";
    /** send {}; reply {"pong":true,"pid",..,"verticles":{..},"hangTimeoutMs",..}. */
    public static final String QUERY_PING = "jpm.query.ping";

    /** send {"files","lines","follow"}; reply {"files":[{"path","mtime","lines","dropped","truncated"}],"seq"}. */
    public static final String QUERY_LOGS = "jpm.query.logs";
    /** send {"from","to","step","apps"} to the history; reply {"host","from","to","step_ms","times","totals","apps"}. */
    public static final String QUERY_HISTORY = "jpm.query.history";
    /**
     * send {} to the alerts; reply {"ok":true,"data":{"host","rules":[{"name","when","apps","to","suppressed"}],
     * "webhooks":[{"name","format","url"}],"alerts":[{"id","rule","when","app","status","text","time","host",
     * "deliveries":{webhook:status}}],"dropped_deliveries"}}: the rules of jpm.json's alerts section and the
     * last alerts, newest first (a webhook's URL shows its scheme and host only; docs/API.md, "Alerts").
     */
    public static final String QUERY_ALERTS = "jpm.query.alerts";
    /**
     * send {"app"?,"limit"?} to the alerts; reply {"ok":true,"data":{"host","groups":[{"app","pm_id","message",
     * "place","count","first_seen","last_seen","source","stack"}],"total_groups","dropped_groups"}}: the apps'
     * exceptions grouped by app, message and first frame, the last seen first (docs/API.md, "Exceptions").
     */
    public static final String QUERY_EXCEPTIONS = "jpm.query.exceptions";

    /** publish {@link ProcessEvent}: every lifecycle transition. */
    public static final String EVENTS_PROCESS = "jpm.events.process";
    /** publish {@link MetricsSample}: cpu and memory of every running instance, each period. */
    public static final String EVENTS_METRICS = "jpm.events.metrics";
    /** publish {@link LogLines}, batches of live lines, only while someone listens ({@link #INTERNAL_LOGS_LISTENERS}). */
    public static final String EVENTS_LOG = "jpm.events.log";
    /** publish {@link HealthEvent} when an instance's probe verdict changes. */
    public static final String EVENTS_HEALTH = "jpm.events.health";
    /** publish {"file","kind","status","error",..}: every applied diff and refused edit of a watched file. */
    public static final String EVENTS_CONFIG = "jpm.events.config";

    /** publish {@link AppMetrics}: an instance's last metrics_url scrape, or why it failed. */
    public static final String EVENTS_APP_METRICS = "jpm.events.appMetrics";

    /** publish {"app","pm_id","pid","message","time","host"[,"during_stop":true]}: what a Node app sent with process.send. */
    public static final String EVENTS_APP_MESSAGE = "jpm.events.appMessage";
    /**
     * publish {"id","rule","when","app","status":"firing|resolved","text","time","host"}: an alert of a rule of
     * jpm.json's alerts section, as it is sent to its webhooks (docs/CONFIG.md, "Alerts").
     */
    public static final String EVENTS_ALERT = "jpm.events.alert";

    /** publish {"node","status":"up|left|forgotten","at"}, a clustered daemon only. */
    public static final String EVENTS_CLUSTER = "jpm.events.cluster";

    /** publish {@link BalancerEvent}: public ports opened/closed, instances in and out of rotation, retries. */
    public static final String EVENTS_BALANCER = "jpm.events.balancer";
    /** send {}; reply: array of {"file","kind","status","error","at"}: each watched file's last result. */
    public static final String QUERY_CONFIG = "jpm.query.config";

    /**
     * send {"pm_id":N,"pid":P,"reason":"...","stopped_too":true} to God (Satan's health, memory, cron,
     * watch and errored retry restarts); restarts that instance if it still runs pid P (P null: any
     * run, or none when errored, or when stopped with stopped_too, which cron sets), with the reason
     * in its process event; reply: the summary, or {} when the run had already ended.
     */
    public static final String INTERNAL_GOD_RESTART = "jpm.internal.god.restart";
    /**
     * send {"pm_id":N} to God (Satan, when an instance comes online or errors); reply the
     * {@link RunFacts} record itself, by reference ({@code verticle.LocalRecordCodec}, no envelope):
     * what Satan's rules need of its current run (options, cwd, env, the PORT it was given), or fails
     * with UNKNOWN_TARGET when the pm_id is gone.
     */
    public static final String INTERNAL_GOD_RUN = "jpm.internal.god.run";
    /**
     * send {} to Satan; reply {"ok":true,"data":<the {@link MetricsSample} map>}: a sample no older than
     * the sample interval, read now if the last one is older. God asks before it lists or describes, since
     * Satan reads /proc only every idle_sample_interval while nobody follows the figures.
     */
    public static final String INTERNAL_SATAN_SAMPLE = "jpm.internal.satan.sample";
    /**
     * publish {"pm_id":N,"app":"name","status":"stopped"} from God to Satan: an instance God put in its
     * table without starting it (pm2's autostart false; one a resurrect, an adoption, an update's or a
     * renewal's handover keeps stopped), which no process event announces. Satan reads its facts
     * ({@link #INTERNAL_GOD_RUN}) and sets up its rules, so a stopped cron job fires on schedule.
     */
    public static final String INTERNAL_SATAN_RESTING = "jpm.internal.satan.resting";
    /**
     * send {} to God; reply {"ok":true,"data":{"instances":[{"pm_id","name","online","restarts",
     * "req_min","loop_ms","loop_p95_ms","custom":{name:number}}]}}: what the history records of each
     * instance besides Satan's usage sample (the last four only when its run reports them).
     */
    public static final String INTERNAL_GOD_FIGURES = "jpm.internal.god.figures";
    /**
     * send {} to the history (persistence, before a daemon leaves for {@code jpm update}); reply
     * {"ok":true,"data":{}} once what it has, the slot and the minute under way too, is written.
     */
    public static final String INTERNAL_HISTORY_WRITE = "jpm.internal.history.write";
    /**
     * send {} to the alerts (persistence, before a daemon leaves for {@code jpm update}); reply
     * {"ok":true,"data":{}} once the alerts and exception groups not written yet are.
     */
    public static final String INTERNAL_ALERTS_WRITE = "jpm.internal.alerts.write";
    /**
     * send {"app","pm_id","message","place","stack","source":"stderr","time"} from the LogAggregator to the
     * alerts: a stack trace found in an app's error output.
     */
    public static final String INTERNAL_EXCEPTIONS_STACK = "jpm.internal.exceptions.stack";
    /**
     * publish {"count":N,"source":"bridge|web|cluster"} from a door: how many of its clients follow
     * {@link #EVENTS_METRICS} (bridge and SockJS registrations, /api/events streams; "cluster": consumers
     * of this host's {@code jpm.host.<node>.events.metrics} on any host). Satan reads /proc every
     * sample interval while the doors' sum is &gt; 0, and every idle sample interval otherwise; God has
     * the Node apps report their code metrics every second then, every 10 s otherwise.
     */
    public static final String INTERNAL_METRICS_FOLLOWERS = "jpm.internal.metrics.followers";
    /**
     * send a {@link TargetRequest} to God (the LogAggregator, for {@code jpm flush}); reply
     * {"paths":[..]}: the log files of those instances (out, err and combined; none for /dev/null).
     */
    public static final String INTERNAL_GOD_LOG_FILES = "jpm.internal.god.logFiles";
    /**
     * send {} to the daemon's hang check ({@code daemon.HangWatch}, on Vert.x's acceptor loop, where no
     * verticle runs); reply {"ok":true,"data":{"hangTimeoutMs":N,"verticles":{"god":{"status":"ok|busy",
     * "busyMs":N},..},"longestTask":{"ms":N,"verticle":..,"thread":..}|null}}: how long each verticle's
     * current task has held its thread ("busy" from 1 s on), and the longest task the hang check has
     * seen under way since the start, for Satan's answer to {@link #QUERY_PING}.
     */
    public static final String INTERNAL_DAEMON_BUSY = "jpm.internal.daemon.busy";
    /** send {} to God; reply once every app is stopped (daemon shutdown). */
    public static final String INTERNAL_GOD_SHUTDOWN = "jpm.internal.god.shutdown";
    /** publish {} once God has stopped every app for `jpm kill`: the daemon exits. */
    public static final String INTERNAL_DAEMON_EXIT = "jpm.internal.daemon.exit";
    /**
     * publish {"script":..,"command":[..],"renew":bool} from persistence once an update's handover is
     * written: the daemon tells its keeper to run {@code script} (the new keeper) and start {@code command}
     * (the new daemon) once it is gone, then exits without stopping an app (docs/ARCHITECTURE.md, "The
     * keeper"); "renew": the same build's daemon after a burst (persist.Renewal).
     */
    public static final String INTERNAL_DAEMON_UPGRADE = "jpm.internal.daemon.upgrade";
    /**
     * send {} to persistence; reply Reply.ok {"file":..,"apps":N,"processes":N}: every instance written
     * to JPM_HOME/handover.json for the next daemon, which adopts them (a daemon whose keeper died
     * writes it before it becomes the keeper; docs/ARCHITECTURE.md, "The keeper").
     */
    public static final String INTERNAL_PERSIST_HANDOVER = "jpm.internal.persist.handover";
    /**
     * send {} to God; reply: array of {@link io.jpm.protocol.DumpEntry} JSON, one per app, in start order;
     * with {"instances":true} each also has "instances":[{"pm_id":0,"status":"online","restart_time",
     * "unstable_restarts","unstable_in_a_row","backoff_ms"},..], every instance's (waiting restart: also
     * "restart_at" and the "exit_code" or "exit_signal" number it follows).
     */
    public static final String INTERNAL_GOD_APPS = "jpm.internal.god.apps";
    /**
     * send {"apps":[DumpEntry...]} to God; starts the apps not in the table; reply as {@link #CMD_RESURRECT}.
     * With "handover":true (an update's), each app's "instances" give their pm_ids back, and those that
     * were stopped or errored are registered stopped. With "adopt":[{"pm_id","pid","start_ticks","stdin",
     * "stdout","stderr","restart_time","unstable_restarts","unstable_in_a_row","backoff_ms","pm_uptime",
     * "port"}] (a daemon its keeper started again), those instances adopt the runs a previous daemon
     * spawned instead of spawning; one with "exit":{"code","signal","at"} ended while no daemon ran (its
     * output is read to the end, then the exit goes through the restart policy); one without "pid" but
     * with "restart_at" (ms since the epoch) and "exit" was left waiting restart, and waits on.
     */
    public static final String INTERNAL_GOD_RESTORE = "jpm.internal.god.restore";
    /** God sends {"restore"} once the restore sent with {"begun": that word} has its apps in the table (launching). */
    public static final String INTERNAL_GOD_RESTORE_BEGUN = "jpm.internal.god.restore.begun";
    /**
     * send {"file","text"} to God: a watched ecosystem file changed; God validates it, diffs it against
     * what runs from it and applies the diff. reply {"added","changed","removed","unchanged"} (names);
     * a file that does not validate fails with INVALID_CONFIG and nothing is changed.
     */
    public static final String INTERNAL_GOD_APPLY = "jpm.internal.god.apply";
    /** send {"file","watch":true|false,"text"?} to the config watcher; text: what a start read of it. */
    public static final String INTERNAL_CONFIG_WATCH = "jpm.internal.config.watch";
    /**
     * publish {"logs":{..},"satan":{..},"balancer":{..},"persist":{..}}: a new valid version of the
     * daemon's settings file (JPM_HOME/jpm.json); each verticle applies its own section.
     */
    public static final String INTERNAL_SETTINGS = "jpm.internal.settings";
    /**
     * request with an {@link OutputChunk} (codec {@code verticle.OutputChunkCodec}: handed over by reference,
     * its array not copied; {@link LogChunk} header, bytes, length, eof, duringStop); the consumer calls
     * {@link OutputChunk#release()} once the bytes are on disk (the sender's back-pressure budget comes
     * back and its array may be reused), then replies empty; a failed reply only reports a failure.
     */
    public static final String INTERNAL_LOG_CHUNK = "jpm.internal.logs.chunk";
    /**
     * publish {"count":N,"source":"bridge|web|cluster"} from a door: how many of its listeners there are for
     * {@link #EVENTS_LOG} (bridge registrations, HTTP live streams); the LogAggregator adds the
     * doors' counts and builds live batches only while the sum is &gt; 0.
     */
    public static final String INTERNAL_LOGS_LISTENERS = "jpm.internal.logs.listeners";
    /**
     * send {"pm_ids":[0,1],"lines":50}, reply {"lines":[{"app","pm_id","stream","line","time":0},..],
     * "seq":N,"kept":true}: the LogAggregator's last lines of these instances, out and err in the order
     * it read them (the files keep no order between them); the live batches up to {@code seq} hold
     * none written after these; {@code kept} false when it kept nothing of theirs (since its start).
     */
    public static final String INTERNAL_LOGS_RECENT = "jpm.internal.logs.recent";
    /**
     * publish {"address":"jpm.host.<node>.events.<what>","count":N,"source":"bridge|web"} from a door (the
     * TCP bridge, the HTTP server's SockJS bridge): how many of its connections follow another host's
     * event address; the cluster switch consumes it on the cluster's bus while the doors' sum is &gt; 0
     * and publishes each event again, local-only, on the daemon's bus.
     */
    public static final String INTERNAL_CLUSTER_FOLLOWS = "jpm.internal.cluster.follows";
    /**
     * send {"apps":[{@link FleetDefinition}..],"ports":[{"app","host","port"}]} to the cluster switch (a
     * clustered daemon only): checks the hosts against the members and the ports on each member up,
     * writes the definitions into the cluster and runs this member's share; reply {}; a host unknown or
     * a port taken fails with INVALID_CONFIG naming the app, the option and the host; nothing written.
     */
    public static final String INTERNAL_FLEET_PLACE = "jpm.internal.fleet.place";
    /**
     * send {"names":[..],"action":"stop|start|delete|restart|reload|scale|describe|kept","request":{the
     * command's body}} to the cluster switch: the fleet apps among these names rest, run again or are
     * deleted on every member (their definitions say so, each member acts on its share); restart and
     * reload are done by every member up that runs the app (a resting app runs again instead), scale
     * changes the per-host {@code instances} of the definition ({@code request}: {"count":"+1"}),
     * describe asks every such member, kept (from God after a restore) writes back the fleet apps it
     * runs that the cluster lacks; reply {"fleet":[the names that are fleet apps],
     * "processes":[each member's summaries, or descriptions for describe, each with "host"]}.
     */
    public static final String INTERNAL_FLEET_ACT = "jpm.internal.fleet.act";
    /**
     * On the cluster's bus, one per member: send {"action":"share|restart|reload|describe",
     * "names":[..],"request":{..}} from the member a fleet command reached (its address: this one, a dot, the member's node); that member's share made
     * to match first ({@code share}), then {@link #INTERNAL_GOD_FLEET_VERB} on it; reply
     * {"processes":[..]}. Never on the daemon's bus, so no bridge client reaches it.
     */
    public static final String INTERNAL_FLEET_MEMBER = "jpm.internal.fleet.member";
    /**
     * send {"action":"share|restart|reload|describe","names":[..],"request":{the command's body}} to
     * God: the verb on this member's instances of these fleet apps only (no fleet-wide round again);
     * reply [summaries..] (share, restart, reload) or [descriptions..] (describe); [] when none run here.
     */
    public static final String INTERNAL_GOD_FLEET_VERB = "jpm.internal.god.fleetVerb";
    /**
     * send {"node":"web-1","fleet":[{@link FleetDefinition}..],"counts":{app:n},"held":[app]} to God:
     * it runs this member's share (starts, stops, replaces, scales to counts, held: none stops, or
     * deletes its fleet apps' instances to match); reply {"started":[summaries..]}.
     */
    public static final String INTERNAL_GOD_FLEET = "jpm.internal.god.fleet";
    /** send {}; reply {"enabled","host","port","url","listening","error",..}: the HTTP server's state. */
    public static final String QUERY_WEB = "jpm.query.web";
    /** publish {"httpPort":N or null} from the HTTP server's switch: the daemon rewrites daemon.json. */
    public static final String INTERNAL_DAEMON_HTTP = "jpm.internal.daemon.http";
    /**
     * send {} to the daemon; reply {"keeper":pid,"subreaper":bool,"held":{key:fd,...},
     * "exits":[{"pid":..,"start_ticks":..,"code":..,"signal":..,"at":ms}]}: what the keeper handed this
     * daemon at its start (docs/ARCHITECTURE.md, "The keeper"); keeper 0 and the rest empty without one.
     * send {"release":[key,...]} instead: the keeper may close those (nobody adopted them).
     */
    public static final String INTERNAL_KEEPER_INVENTORY = "jpm.internal.keeper.inventory";
    /** publish {"pid":N,"start_ticks":T,"code":C,"signal":S,"at":ms} from the daemon: the keeper reaped an app that fell to it. */
    public static final String INTERNAL_KEEPER_EXIT = "jpm.internal.keeper.exit";
    /**
     * send {} to the daemon; reply {"pid":N,"protected":bool,"why":".."}: its keeper (0: none) and
     * whether the apps outlive the daemon now (why not, when not: no keeper, or it died), for
     * {@code jpm.query.ping}.
     */
    public static final String INTERNAL_KEEPER_STATE = "jpm.internal.keeper.state";

    /** send a {@link BalancedAppSpec} record (by reference); reply {"port":N} once the public port listens (or fail). */
    public static final String INTERNAL_BALANCER_OPEN = "jpm.internal.balancer.open";
    /** send {"app":name}; reply {} once the public port is closed (the app was deleted). */
    public static final String INTERNAL_BALANCER_CLOSE = "jpm.internal.balancer.close";
    /** send an {@link UpstreamRequest} record (by reference); reply {} once ready and in rotation; fails after listen_timeout. */
    public static final String INTERNAL_BALANCER_JOIN = "jpm.internal.balancer.join";
    /**
     * send an {@link UpstreamRequest} record, by reference ({@code verticle.LocalRecordCodec}); reply
     * {"drained":bool} once out of rotation and its connections are done (or drain_ms passed).
     */
    public static final String INTERNAL_BALANCER_LEAVE = "jpm.internal.balancer.leave";
    /** send {} ; reply {"&lt;pid&gt;":{"state","connections","served","bytes_in","bytes_out","port"}} for every upstream. */
    public static final String INTERNAL_BALANCER_STATS = "jpm.internal.balancer.stats";
    /**
     * send {} from the daemon leaving for the next one (an update, a renewal); reply {} once no public port
     * accepts here (the keeper's copy queues) and the answers in flight are written, their connections closed.
     */
    public static final String INTERNAL_BALANCER_LEAVING = "jpm.internal.balancer.leaving";
}
