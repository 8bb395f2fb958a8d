package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A YAML ecosystem file (pm2 reads ecosystem.yml too) into the same JSON the JSON files give, so
 * one validator serves both. SnakeYAML's safe constructor: plain maps, lists and scalars, no types
 * from the document. Its classes load only when a YAML file is read.
 */
final class YamlText {
    private YamlText() {}

    static Object parse(Path file, String text) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            String m = String.valueOf(e.getMessage()).replace('\n', ' ');
            throw new JpmException(JpmError.INVALID_CONFIG, file + ": not valid YAML: " + m);
        }
        Object json = toJson(document);
        if (!(json instanceof JsonObject) && !(json instanceof JsonArray)) {
            throw new JpmException(JpmError.INVALID_CONFIG, file + ": must hold apps: [ ... ]");
        }
        return json;
    }

    private static Object toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.put(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof BigInteger big) {
            return big.longValue();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        return value;
    }
}
