package io.jpm.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.jpm.config.ClusterSettings;
import io.jpm.protocol.ClusterKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetAddress;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's Vert.x, a second one beside the daemon's own (which stays local, so the cluster
 * can be joined, left and joined again without touching the apps; docs/CLUSTER.md): Hazelcast
 * finds the members by TCP/IP from the configured list (no multicast), on the configured interface
 * only, under a join name derived from the cluster secret; the event bus between members is mutual
 * TLS ({@link BusTls}). Loaded, with Hazelcast, by the daemon's cluster class loader only once
 * jpm.json has a cluster section.
 */
final class ClusterStart {
    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    /** Hazelcast's own INFO lines are many (banners, partition tables): warnings only reach daemon.log. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    /** jpm uses no CP data structure: the warning that the CP subsystem is off says nothing to a user. */
    private static final Logger HAZELCAST_CP_LOG = Logger.getLogger("com.hazelcast.cp");

    private ClusterStart() {}

    /**
     * Joins the cluster (or starts it, as its first member) and returns the cluster's Vert.x, which
     * runs beside the daemon's own; fails when the node name is taken.
     */
    static Future<Vertx> start(
            JpmHome home, ClusterSettings settings, VertxOptions options, Members members, Consumer<String> onUp)
            throws IOException {
        String secret = ClusterKeys.readSecret(home.clusterSecret());
        HAZELCAST_LOG.setLevel(Level.WARNING);
        HAZELCAST_CP_LOG.setLevel(Level.SEVERE);
        String ip = InetAddress.getByName(settings.listenHost()).getHostAddress();
        int colon = settings.busPublic().lastIndexOf(':');
        String publicHost = settings.busPublic().substring(0, colon);
        int publicPort = Integer.parseInt(settings.busPublic().substring(colon + 1));
        EventBusOptions bus = options.getEventBusOptions()
                .setHost(ip)
                .setPort(settings.busPort())
                .setClusterPublicHost(publicHost)
                .setClusterPublicPort(publicPort);
        BusTls.apply(bus, home, settings, secret);
        bus.setConnectTimeout((int) Math.min(settings.timeoutMs(), Integer.MAX_VALUE));
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(settings, ip, secret));
        LOG.info(() -> "joining cluster '" + settings.name() + "' as " + settings.node() + ": membership on " + ip + ":"
                + settings.listenPort() + ", event bus (TLS) on " + ip + ":" + settings.busPort()
                + " with " + BusTls.describe(home, settings)
                + (settings.busPublic().equals(settings.listenHost() + ":" + settings.busPort())
                        ? ""
                        : " reached at " + settings.busPublic())
                + ", members " + settings.members());
        return Vertx.builder()
                .with(options)
                .withClusterManager(manager)
                .buildClustered()
                .compose(vertx -> {
                    String taken = Membership.takenName(manager.getHazelcastInstance(), settings);
                    return taken == null
                            ? Future.succeededFuture(vertx)
                            : vertx.close()
                                    .transform(ar ->
                                            Future.failedFuture(new JpmException(JpmError.INVALID_CONFIG, taken)));
                })
                .onSuccess(vertx -> Membership.follow(vertx, members, manager.getHazelcastInstance(), settings, onUp));
    }

    /** Hazelcast's name for this daemon's instance, by which the cluster verticle finds it. */
    static String instanceName(ClusterSettings settings) {
        return "jpm-" + settings.node();
    }

    private static Config hazelcastConfig(ClusterSettings settings, String ip, String secret) {
        Config config = new Config();
        // Hazelcast finds its own and vertx-hazelcast's classes by name (serialization, services):
        // through the loader they were loaded by, not the daemon's, which does not see them
        config.setClassLoader(ClusterStart.class.getClassLoader());
        config.setClusterName(ClusterKeys.joinName(secret, settings.name()));
        config.setInstanceName(instanceName(settings));
        config.getMemberAttributeConfig().setAttribute(Membership.NODE_ATTRIBUTE, settings.node());
        // no call home, JDK logging, our shutdown hook stops the apps before the bus goes
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // Hazelcast's own metrics are for its Management Center, which jpm does not run: collected every
        // 5 s, they were a quarter of an idle member's CPU (1.5 -> 1.1 CPU-s a minute, two members idle)
        config.getMetricsConfig().setEnabled(false);
        // a daemon start waits for its join: the first member alone should not wait Hazelcast's 5 s
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        // Hazelcast gives up a join that is not over by then and the daemon's start fails: 15 s was too
        // short for three hosts started together on a loaded machine (ClusterBusIT: "Could not join
        // cluster" after 22 s). A join that succeeds is no slower for it; within StartDeadline's 90 s
        config.setProperty("hazelcast.max.join.seconds", "60");
        ClusterTimings timings = ClusterTimings.fromEnvironment();
        // a member that stops answering is dropped after 10 s of silence by default (docs/CLUSTER.md)
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(timings.heartbeatTimeoutSeconds()));
        // two halves that formed apart (started together, or a network cut healed) merge soon
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(timings.mergeCheckSeconds()));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(timings.mergeCheckSeconds()));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.listenPort()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(ip);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        // what vertx-hazelcast's default-cluster.xml declares: the bus's registrations and node info
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs")
                .setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        // the fleet apps' definitions: a copy on every member (up to Hazelcast's bound), so they
        // outlive any member but the last that holds them
        config.addMapConfig(new MapConfig(FleetPlacement.MAP).setBackupCount(MapConfig.MAX_BACKUP_COUNT));
        return config;
    }
}
