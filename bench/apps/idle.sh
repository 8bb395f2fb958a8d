#!/usr/bin/env bash
# Benchmark fixture: an app that does nothing for a long time. exec keeps one pid per app.
exec sleep 100000
