package io.jpm.ecosystem;

import io.jpm.config.LogrotateKeys;
import io.jpm.config.ModuleConf;
import io.jpm.config.SettingsEdit;
import io.jpm.protocol.ConfKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm set|unset|multiset}: one or more keys, each to the file it belongs to
 * ({@link ConfKeys}): jpm's settings to jpm.json, pm2's module configuration to module_conf.json,
 * and pm2-logrotate's keys to jpm.json's logs section too ({@link LogrotateKeys}). Every edit is
 * made in memory and jpm.json validated whole before either file is written: a bad key or value
 * changes nothing. Each file is replaced whole (owner-only temp file, then rename). Called on the
 * config watcher's worker thread, its only writer.
 */
final class ConfEdits {
    /** One key; a null value removes it. */
    record Edit(String key, String value) {}

    private final Path settingsFile;
    private final Path moduleConfFile;

    ConfEdits(Path settingsFile, Path moduleConfFile) {
        this.settingsFile = settingsFile;
        this.moduleConfFile = moduleConfFile;
    }

    /**
     * @return {@code {"file":..,"key":..,"value":..}} of the first edit, {@code "settings"}: the
     *     jpm.json keys pm2-logrotate's keys changed (null: removed), {@code "notes"}: lines for the user
     */
    JsonObject apply(List<Edit> edits) throws IOException {
        String settingsText = read(settingsFile);
        String settings = settingsText;
        JsonObject moduleBefore = ModuleConf.parse(moduleConfFile.toString(), read(moduleConfFile));
        JsonObject module = moduleBefore;
        boolean moduleEdited = false;
        for (Edit edit : edits) {
            if (ConfKeys.isSetting(edit.key())) {
                settings = SettingsEdit.apply(settingsFile.toString(), settings, edit.key(), typed(edit));
            } else {
                module = edit.value() == null
                        ? ModuleConf.unset(module, edit.key())
                        : ModuleConf.set(module, edit.key(), edit.value());
                moduleEdited = true;
            }
        }
        LogrotateKeys.Effect logrotate = LogrotateKeys.effect(moduleBefore, module);
        for (Map.Entry<String, Object> e : logrotate.settings().entrySet()) {
            settings = logrotateSetting(settings, e.getKey(), e.getValue());
        }
        if (!settings.equals(settingsText)) {
            OwnerOnlyFile.write(settingsFile, settings);
        }
        if (moduleEdited) {
            OwnerOnlyFile.write(moduleConfFile, ModuleConf.render(module));
        }
        Edit first = edits.get(0);
        return new JsonObject()
                .put("file", (ConfKeys.isSetting(first.key()) ? settingsFile : moduleConfFile).toString())
                .put("key", first.key())
                .put("value", typed(first))
                .put("settings", new JsonObject(logrotate.settings()))
                .put("notes", new JsonArray(logrotate.notes()));
    }

    /** A jpm.json key set for a pm2-logrotate key: a refusal names the key the user typed. */
    private String logrotateSetting(String settings, String key, Object value) {
        try {
            return SettingsEdit.apply(settingsFile.toString(), settings, key, value);
        } catch (JpmException e) {
            String typed = LogrotateKeys.MODULE + ":" + LogrotateKeys.keyFor(key);
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT, typed + " sets jpm's " + key + ", which refuses it: " + e.getMessage());
        }
    }

    /** jpm's settings take JSON values (true, 30, "5s"); module configuration keeps the text, as pm2. */
    private static Object typed(Edit edit) {
        if (edit.value() == null) {
            return null;
        }
        return ConfKeys.isSetting(edit.key()) ? SettingsEdit.value(edit.value()) : edit.value();
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }
}
