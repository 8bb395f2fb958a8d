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
 * The addresses a client may use are described twice, in {@link Addresses} (for the code) and in
 * docs/PROTOCOL.md (for the people who write clients): this ties them. Every command, query and event
 * address of Addresses is in PROTOCOL.md, and every one PROTOCOL.md names is served.
 */
class AddressesDocumentedTest {
    private static final Pattern CLIENT_ADDRESS = Pattern.compile("jpm\\.(cmd|query|events)\\.[A-Za-z]+");
    /** Named in PROTOCOL.md on purpose though nothing serves them. */
    private static final Set<String> EXAMPLES = Set.of("jpm.query.lsit");

    @Test
    void everyClientAddressIsDescribedAndEveryDescribedOneExists() throws IOException, IllegalAccessException {
        Set<String> declared = new TreeSet<>();
        for (Field field : Addresses.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String address = (String) field.get(null);
                if (CLIENT_ADDRESS.matcher(address).matches()) {
                    declared.add(address);
                }
            }
        }
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
}
