package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The addresses a client may use are declared in {@link Addresses} (one line each, for the code),
 * described in docs/PROTOCOL.md (for the people who write clients) and shaped in
 * docs/bridge-messages.schema.json: this ties the three. Every command, query and event address of
 * Addresses is in PROTOCOL.md, and every one PROTOCOL.md names is served; every command and event has
 * its body's rule in the schema, and every address the schema names is served.
 */
class AddressesDocumentedTest {
    private static final Pattern CLIENT_ADDRESS = Pattern.compile("jpm\\.(cmd|query|events)\\.[A-Za-z]+");
    /** Named in PROTOCOL.md on purpose though nothing serves them. */
    private static final Set<String> EXAMPLES = Set.of("jpm.query.lsit");

    /** {@code cmd\\.start$} or {@code cmd\\.(reset|monitor)$} in the schema's text: the addresses it shapes. */
    private static final Pattern SCHEMA_RULE = Pattern.compile("(cmd|query|events)\\\\\\\\.\\(?([A-Za-z|]+)\\)?\\$");

    @Test
    void everyCommandAndEventHasItsRuleInTheSchemaAndEveryRuleIsServed() throws IOException, IllegalAccessException {
        Set<String> declared = clientAddresses();
        Set<String> shaped = new TreeSet<>();
        Matcher rule = SCHEMA_RULE.matcher(Files.readString(Path.of("docs", "bridge-messages.schema.json")));
        while (rule.find()) {
            for (String name : rule.group(2).split("\\|")) {
                shaped.add("jpm." + rule.group(1) + "." + name);
            }
        }
        Set<String> unshaped = new TreeSet<>(declared);
        unshaped.removeIf(a -> a.startsWith(Addresses.QUERY_PREFIX) || shaped.contains(a));
        assertEquals(Set.of(), unshaped, "in Addresses, no rule in docs/bridge-messages.schema.json");
        Set<String> unserved = new TreeSet<>(shaped);
        unserved.removeAll(declared);
        assertEquals(Set.of(), unserved, "in docs/bridge-messages.schema.json, not in Addresses");
    }

    private static Set<String> clientAddresses() throws IllegalAccessException {
        Set<String> declared = new TreeSet<>();
        for (Field field : Addresses.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String address = (String) field.get(null);
                if (CLIENT_ADDRESS.matcher(address).matches()) {
                    declared.add(address);
                }
            }
        }
        return declared;
    }

    @Test
    void everyClientAddressIsDescribedAndEveryDescribedOneExists() throws IOException, IllegalAccessException {
        Set<String> declared = clientAddresses();
        assertEquals(
                true,
                declared.contains(Addresses.QUERY_LIST) && declared.contains(Addresses.EVENTS_PROCESS),
                declared::toString);
        Set<String> described = new TreeSet<>();
        Matcher named = CLIENT_ADDRESS.matcher(Files.readString(Path.of("docs/PROTOCOL.md")));
        while (named.find()) {
            described.add(named.group());
        }
        described.removeAll(EXAMPLES);
        Set<String> undescribed = new TreeSet<>(declared);
        undescribed.removeAll(described);
        assertEquals(Set.of(), undescribed, "in Addresses, not in docs/PROTOCOL.md");
        Set<String> unserved = new TreeSet<>(described);
        unserved.removeAll(declared);
        assertEquals(Set.of(), unserved, "in docs/PROTOCOL.md, not in Addresses");
    }

    /** An internal address: jpm.internal.<part>.<name>. */
    private static final Pattern INTERNAL_ADDRESS = Pattern.compile("jpm\\.internal\\.[A-Za-z]+\\.[A-Za-z]+");

    /**
     * The internal addresses too: the next engineer reads PROTOCOL.md to learn who talks to whom
     * inside the daemon, so every one of Addresses is there and none it names is gone.
     */
    @Test
    void everyInternalAddressIsDescribedAndEveryDescribedOneExists() throws IOException, IllegalAccessException {
        Set<String> declared = new TreeSet<>();
        for (Field field : Addresses.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getType() == String.class
                    && INTERNAL_ADDRESS.matcher((String) field.get(null)).matches()) {
                declared.add((String) field.get(null));
            }
        }
        Set<String> described = new TreeSet<>();
        Matcher named = INTERNAL_ADDRESS.matcher(Files.readString(Path.of("docs/PROTOCOL.md")));
        while (named.find()) {
            described.add(named.group());
        }
        Set<String> undescribed = new TreeSet<>(declared);
        undescribed.removeAll(described);
        assertEquals(Set.of(), undescribed, "in Addresses, not in docs/PROTOCOL.md");
        Set<String> gone = new TreeSet<>(described);
        gone.removeAll(declared);
        assertEquals(Set.of(), gone, "in docs/PROTOCOL.md, not in Addresses");
    }
}
