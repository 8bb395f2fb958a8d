/**
 * Every use jpm makes of a Vert.x or Netty internal (a class of an {@code impl} or {@code internal}
 * package, or a field read by reflection), in one place: each method says why jpm needs it, and
 * a test of the same name in src/test runs it against the Vert.x and Netty on the class path, so an
 * upgrade that moves one fails that test rather than the daemon. No other package imports an
 * internal or reflects on their classes (PackageRulesTest). Imports nothing of jpm.
 */
package io.jpm.internals;
