package io.jpm.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A JSON ecosystem file read the way pm2 reads it: pm2 evaluates the text as a JavaScript
 * expression, so the files its users have carry comments, unquoted keys, single quotes and trailing
 * commas. jackson-core (already under Vert.x) reads those; a text that does not parse is refused
 * with its line and column.
 */
final class LenientJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(
                    JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .build();

    private LenientJson() {}

    /** A {@link JsonObject} or a {@link JsonArray}. */
    static Object parse(Path file, String text) {
        if (text.isBlank()) {
            // jackson has no location to give for no token at all; a file caught mid-write reads so too
            throw new JpmException(JpmError.INVALID_CONFIG, file + ":1:1: not valid JSON: the file is empty");
        }
        Object value;
        try (JsonParser parser = FACTORY.createParser(text)) {
            value = JacksonCodec.fromParser(parser, Object.class);
        } catch (DecodeException e) {
            throw new JpmException(JpmError.INVALID_CONFIG, describe(file, e.getCause() != null ? e.getCause() : e));
        } catch (IOException e) {
            throw new JpmException(JpmError.INVALID_CONFIG, describe(file, e));
        }
        if (!(value instanceof JsonObject) && !(value instanceof JsonArray)) {
            throw new JpmException(JpmError.INVALID_CONFIG, file + ": must hold {\"apps\": [ ... ]}");
        }
        return value;
    }

    private static String describe(Path file, Throwable e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            JsonLocation at = j.getLocation();
            // jackson's message names where the open object began, with a redacted source: the file,
            // line and column already say where
            String why = j.getOriginalMessage()
                    .split("\n")[0]
                    .replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "");
            return file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": not valid JSON: " + why;
        }
        String why = String.valueOf(e.getMessage());
        int nl = why.indexOf('\n');
        return file + ": not valid JSON: " + (nl < 0 ? why : why.substring(0, nl));
    }
}
