package io.jpm.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance as {@code jpm.query.list} and {@code jpm.query.describe} answer it: pm2's jlist row
 * (pm2's God.getMonitorData), so tools written for {@code pm2 jlist} read jpm unchanged, with jpm's
 * own fields beside it under {@code jpm}. God builds it; the CLI, the dashboard and /metrics read
 * it with {@link #from}, never by the row's keys.
 *
 * <pre>{"pid":1234,"name":"api","pm2_env":{..ProcessViewPm2Env..},"pm_id":0,
 *  "monit":{"memory":41234432,"cpu":0.5},"jpm":{..ProcessViewJpm..}}</pre>
 *
 * {@code pid} is 0 when none runs. {@code pm_id} is pm2's {@code "_old_<pm_id>"} for the run a
 * rolling reload is replacing. {@link #toTableMap} is the projection {@code ls} asks for with
 * {@code "view": "table"}: the fields marked for the table in each record's {@code toMap}, a tenth
 * of the bytes. The cluster-wide list (jpm.query.clusterList) adds {@code "host"}: the node of the
 * row, null in a daemon's own list.
 */
public record ProcessView(
        int pid,
        String name,
        ProcessViewPm2Env pm2Env,
        int pmId,
        boolean oldRun,
        long memory,
        double cpu,
        ProcessViewJpm jpm,
        String node) {
    /** {@code jpm.query.list}'s {@code "view"} that asks for {@link #toTableMap} rows. */
    public static final String TABLE_VIEW = "table";

    private static final String OLD_RUN = "_old_";

    /** pm_id as jlist lists it: the number, or {@code "_old_<pm_id>"} for a reload's old run. */
    public Object listedId() {
        return oldRun ? OLD_RUN + pmId : pmId;
    }

    public boolean online() {
        return pm2Env.run().is(ProcessState.ONLINE);
    }

    /** pm2_env as the row lists it, key for key ({@code jpm env} prints each). */
    public Map<String, Object> pm2EnvMap() {
        return pm2Env.toMap(listedId(), false);
    }

    /** pm2's row, key for key. */
    public Map<String, Object> toMap() {
        return write(false);
    }

    /** What the ls table shows of the row. */
    public Map<String, Object> toTableMap() {
        return write(true);
    }

    /**
     * pm2's row with its pm2_env as given (God's partly encoded one, which holds what {@link
     * #pm2Env}'s toMap would write), not from {@link #pm2Env}.
     */
    public Map<String, Object> toMap(Object pm2EnvListed) {
        return write(false, pm2EnvListed);
    }

    private Map<String, Object> write(boolean table) {
        return write(table, pm2Env.toMap(listedId(), table));
    }

    private Map<String, Object> write(boolean table, Object pm2EnvListed) {
        ProcessViewWriter row = new ProcessViewWriter(table);
        row.table("pid", pid);
        row.table("name", name);
        row.table("pm2_env", pm2EnvListed);
        row.table("pm_id", listedId());
        Map<String, Object> monit = new LinkedHashMap<>();
        monit.put("memory", memory);
        monit.put("cpu", cpu);
        row.table("monit", monit);
        Map<String, Object> own = jpm.toMap(oldRun ? pmId : null, table);
        if (!table || !own.isEmpty()) { // the table's rows have no jpm section when it would be empty
            row.table("jpm", own);
        }
        if (node != null) {
            row.table("host", node);
        }
        return row.map();
    }

    public static ProcessView from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        Object listed = f.get("pm_id");
        boolean old = listed instanceof String s && s.startsWith(OLD_RUN);
        int pmId = old ? Integer.parseInt(((String) listed).substring(OLD_RUN.length())) : f.integer("pm_id", -1);
        Fields monit = f.object("monit");
        return new ProcessView(
                f.integer("pid", 0),
                f.string("name"),
                ProcessViewPm2Env.from(f.object("pm2_env").asMap()),
                pmId,
                old,
                monit.whole("memory", 0L),
                monit.get("cpu") instanceof Number n ? n.doubleValue() : 0,
                ProcessViewJpm.from(f.object("jpm").asMap()),
                f.string("host"));
    }

    /** A list of rows, as the list query answers it. */
    public static List<ProcessView> list(List<?> rows) {
        List<ProcessView> views = new ArrayList<>();
        for (Object row : rows) {
            views.add(from(Fields.of(row).asMap()));
        }
        return views;
    }
}
