package io.jpm.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A test class over ClusterHosts' three daemons in their usual set-up, started once for the class and killed after it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ThreeHosts {
    ClusterHosts cluster;

    @RegisterExtension
    final HostLogs logs = new HostLogs(() -> cluster == null ? null : cluster.all());

    @BeforeAll
    void startThreeDaemons() throws IOException {
        cluster = new ClusterHosts(node -> new JsonObject());
        cluster.awaitEveryHostListed(cluster.get("web-1"));
    }

    @AfterAll
    void killEveryDaemon() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }
}
