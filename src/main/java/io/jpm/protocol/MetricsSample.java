package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Published on {@link Addresses#EVENTS_METRICS} every sampling period.
 *
 * <pre>{"host":"box","time":1700000000000,
 *  "processes":[{"pm_id":0,"pid":1234,"cpu":1.5,"memory":12345678}]}</pre>
 *
 * cpu is percent of one core over the last period; memory is resident bytes of the whole process
 * group.
 */
public record MetricsSample(String host, long time, List<Usage> processes) {
    /** One instance's usage. */
    public record Usage(int pmId, int pid, double cpu, long memory) {
        public Map<String, Object> toMap() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("pm_id", pmId);
            json.put("pid", pid);
            json.put("cpu", cpu);
            json.put("memory", memory);
            return json;
        }

        public static Usage from(Map<String, ?> json) {
            Fields f = Fields.of(json);
            return new Usage(
                    f.integer("pm_id", -1),
                    f.integer("pid", 0),
                    f.get("cpu") instanceof Number n ? n.doubleValue() : 0,
                    f.whole("memory", 0L));
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", host);
        json.put("time", time);
        json.put("processes", processes.stream().map(Usage::toMap).toList());
        return json;
    }

    @SuppressWarnings("unchecked")
    public static MetricsSample from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        List<Usage> usages = f.list("processes").stream()
                .filter(Map.class::isInstance)
                .map(o -> Usage.from((Map<String, ?>) o))
                .toList();
        return new MetricsSample(f.string("host"), f.whole("time", 0L), usages);
    }
}
