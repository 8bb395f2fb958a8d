package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.protocol.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which host of a cluster a target verb goes to: {@code --host web-2}, or targets written
 * {@code api@web-2} (docs/CLUSTER.md). One host per command; none means this host, as without a
 * cluster. A target whose part after its last {@code @} is not a node name ({@code @scope/app})
 * is a plain name.
 *
 * @param targets the targets with their {@code @node} taken off
 * @param host the node, or null for this host
 */
record HostTargets(List<String> targets, String host) {
  /** As the daemon's ClusterSettings.NAME: node names go in bus addresses. */
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]{1,63}");

  static HostTargets of(List<String> words, String hostFlag) {
    if (hostFlag != null && !NODE.matcher(hostFlag).matches()) {
      throw CliException.usage("--host: a node name is 1-63 letters, digits, '-' or '_', got '" + hostFlag + "'");
    }
    List<String> targets = new ArrayList<>();
    TreeSet<String> hosts = new TreeSet<>();
    if (hostFlag != null) {
      hosts.add(hostFlag);
    }
    for (String word : words) {
      int at = word.lastIndexOf('@');
      if (at > 0 && NODE.matcher(word.substring(at + 1)).matches()) {
        hosts.add(word.substring(at + 1));
        targets.add(word.substring(0, at));
      } else {
        targets.add(word);
      }
    }
    if (hosts.size() > 1) {
      throw CliException.usage("the targets name several hosts (" + String.join(", ", hosts) + "): one host per command");
    }
    return new HostTargets(targets, hosts.isEmpty() ? null : hosts.first());
  }

  /** {@code address} on the chosen host, or as it is for this host. */
  String address(String address) {
    return host == null ? address : Addresses.onHost(host, address);
  }
}
