package io.jpm.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SpecVersion;
import java.util.List;

/**
 * A value checked against a Schema Object of an OpenAPI document, its {@code $ref}s
 * ({@code #/components/schemas/..}) read in that document: the schema is wrapped in one that
 * carries the document's components at the same pointer.
 */
public final class OpenApiSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JSON Schema 2020-12, told that {@code components} is where the wrapped refs point (no keyword of its own). */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword("components"))
                    .build()));

    private OpenApiSchemas() {}

    /** What is wrong with {@code value} against {@code schema} of {@code document}: one line each, none when it fits. */
    public static List<String> mismatches(JsonNode document, JsonNode schema, JsonNode value) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SchemaId.V202012);
        root.set("components", document.path("components"));
        root.putArray("allOf").add(schema);
        return FACTORY.getSchema(root).validate(value).stream()
                .map(Object::toString)
                .toList();
    }
}
