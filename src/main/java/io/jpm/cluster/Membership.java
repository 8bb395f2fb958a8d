package io.jpm.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.jpm.config.ClusterSettings;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Says in daemon.log who joined and who left, keeps {@link Members} true, and explains a daemon
 * left alone: when a configured member answers on its port but Hazelcast did not take this daemon
 * in, the likeliest cause is a join name derived from another secret.
 */
final class Membership implements MembershipListener {
    /** The Hazelcast member attribute that carries a member's node name. */
    static final String NODE_ATTRIBUTE = "jpm.node";

    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    private static final long ALONE_CHECK_MS = 5_000;
    private static final int PROBE_TIMEOUT_MS = 1_000;

    private final Members members;
    private final HazelcastInstance hazelcast;
    private final ClusterSettings settings;
    /** Told each node seen in the cluster (the switch opens its doors on the daemon's own bus). */
    private final Consumer<String> onUp;
    /**
     * The member addresses already reported as answering without taking us in (said once each);
     * Hazelcast's event thread clears it, a worker thread fills it.
     */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private Membership(Members members, HazelcastInstance hazelcast, ClusterSettings settings, Consumer<String> onUp) {
        this.members = members;
        this.hazelcast = hazelcast;
        this.settings = settings;
        this.onUp = onUp;
    }

    /**
     * @param vertx the cluster's Vert.x (its timer ends with it)
     * @param members the daemon's view, kept on its own Vert.x
     */
    static void follow(
            Vertx vertx,
            Members members,
            HazelcastInstance hazelcast,
            ClusterSettings settings,
            Consumer<String> onUp) {
        Membership membership = new Membership(members, hazelcast, settings, onUp);
        hazelcast.getCluster().addMembershipListener(membership);
        Set<Member> now = hazelcast.getCluster().getMembers();
        now.forEach(m -> membership.up(node(m)));
        now.forEach(membership::checkName);
        LOG.info(() -> "in cluster '" + settings.name() + "' as " + settings.node() + ": " + now.size() + " member(s): "
                + now.stream().map(Membership::describe).collect(Collectors.joining(", ")));
        vertx.setPeriodic(
                ALONE_CHECK_MS,
                ALONE_CHECK_MS,
                id -> vertx.executeBlocking(
                        () -> {
                            membership.checkAlone();
                            return null;
                        },
                        false));
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        checkName(event.getMember());
        up(node(event.getMember()));
        reported.clear();
        LOG.info(() -> "member " + describe(event.getMember()) + " joined; "
                + event.getMembers().size() + " member(s) now");
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        String node = node(event.getMember());
        if (event.getMembers().stream().anyMatch(m -> node.equals(node(m)))) {
            // a daemon that joined under a taken name and was turned away: the name's owner stays
            LOG.info(() -> "the second member named " + node + " " + describe(event.getMember()) + " left");
            return;
        }
        members.left(node);
        LOG.warning(() -> "member " + describe(event.getMember()) + " left (stopped, or no heartbeat for "
                + ClusterTimings.fromEnvironment().heartbeatTimeoutSeconds() + " s);"
                + " its apps are not touched from here; " + event.getMembers().size() + " member(s) now");
    }

    private void up(String node) {
        members.up(node);
        onUp.accept(node);
    }

    /** A daemon joining under this one's name sees it and leaves ({@link #takenName}); said here too. */
    private void checkName(Member member) {
        if (!member.localMember() && node(member).equals(settings.node())) {
            LOG.warning("member " + describe(member) + " joined under this daemon's own node name " + settings.node()
                    + ": it is turned away (it leaves the cluster); give each member its own 'node' in jpm.json");
        }
    }

    /**
     * Why this daemon, just joined, may not stay: an older member (Hazelcast lists the oldest first)
     * has its node name, and two members under one name would share its {@code jpm.host.<node>.*}
     * requests round-robin. Null when the name is this daemon's alone. The younger one leaves, so a
     * daemon started twice by mistake never takes the name from the one that holds it.
     */
    static String takenName(HazelcastInstance hazelcast, ClusterSettings settings) {
        Member self = hazelcast.getCluster().getLocalMember();
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.localMember()) {
                return null;
            }
            // at this daemon's own address: its previous run (killed), which Hazelcast is about to drop
            if (settings.node().equals(node(member)) && !member.getAddress().equals(self.getAddress())) {
                return "node name '" + settings.node() + "' is taken in cluster '" + settings.name()
                        + "' by the member at "
                        + member.getAddress().getHost() + ":"
                        + member.getAddress().getPort()
                        + ": this daemon does not join (give each member its own 'node' in jpm.json)";
            }
        }
        return null;
    }

    /** Alone in the cluster while a configured member's port answers: it turned us away. */
    private synchronized void checkAlone() {
        if (hazelcast.getCluster().getMembers().size() > 1) {
            reported.clear();
            return;
        }
        String self = settings.listenHost() + ":" + settings.listenPort();
        for (String member : settings.members()) {
            if (member.equals(self) || reported.contains(member) || !answers(member)) {
                continue;
            }
            reported.add(member);
            LOG.severe(
                    "the member at " + member + " answers but did not take this daemon into cluster '" + settings.name()
                            + "': wrong or missing cluster secret? (cluster.secret and cluster.p12 must be the same files on every member)");
        }
    }

    private static boolean answers(String member) {
        int colon = member.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(member.substring(0, colon), Integer.parseInt(member.substring(colon + 1))),
                    PROBE_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String node(Member member) {
        String node = member.getAttribute(NODE_ATTRIBUTE);
        return node != null ? node : member.getUuid().toString();
    }

    private static String describe(Member member) {
        return node(member) + " (" + member.getAddress().getHost() + ":"
                + member.getAddress().getPort() + ")";
    }
}
