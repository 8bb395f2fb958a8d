package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jpm's {@code depends_on}: the apps of one file in an order where every app comes after the apps it
 * depends on, the file's order kept otherwise. A name the file does not declare, or a cycle, is an
 * error naming the file, the app and the option.
 */
final class StartOrder {
    private StartOrder() {}

    private enum Mark {
        VISITING,
        DONE
    }

    static List<AppConfig> sort(List<AppConfig> configs, String where) {
        Map<String, AppConfig> byName = new LinkedHashMap<>();
        configs.forEach(c -> byName.put(c.name(), c));
        for (AppConfig config : configs) {
            for (String dependency : config.origin().dependsOn()) {
                if (!byName.containsKey(dependency)) {
                    throw error(where, config.name(), "names '" + dependency + "', which this file does not declare");
                }
                if (dependency.equals(config.name())) {
                    throw error(where, config.name(), "names the app itself");
                }
            }
        }
        Map<String, Mark> marks = new LinkedHashMap<>();
        List<AppConfig> ordered = new ArrayList<>();
        for (AppConfig config : configs) {
            visit(config, byName, marks, ordered, new ArrayList<>(), where);
        }
        return ordered;
    }

    private static void visit(
            AppConfig config,
            Map<String, AppConfig> byName,
            Map<String, Mark> marks,
            List<AppConfig> ordered,
            List<String> path,
            String where) {
        Mark mark = marks.get(config.name());
        if (mark == Mark.DONE) {
            return;
        }
        path.add(config.name());
        if (mark == Mark.VISITING) {
            List<String> cycle = path.subList(path.indexOf(config.name()), path.size());
            throw error(where, cycle.get(0), "makes a cycle: " + String.join(" -> ", cycle));
        }
        marks.put(config.name(), Mark.VISITING);
        for (String dependency : config.origin().dependsOn()) {
            visit(byName.get(dependency), byName, marks, ordered, path, where);
        }
        marks.put(config.name(), Mark.DONE);
        path.remove(path.size() - 1);
        ordered.add(config);
    }

    private static JpmException error(String where, String app, String problem) {
        return new JpmException(JpmError.INVALID_CONFIG, where + ": app '" + app + "': option 'depends_on' " + problem);
    }
}
